"""The declared document types of the manual, one module each (engine.document_types finds them)."""
