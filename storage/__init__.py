"""The shared database: SQLAlchemy rows, migrations, repositories, importers."""
