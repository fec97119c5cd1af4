"""MkDocs hooks of the ReLU 위키 site (listed under ``hooks:`` in mkdocs.yml)."""
