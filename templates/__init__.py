"""Print templates (jinja2 → self-contained HTML with print CSS) and their renderer."""
