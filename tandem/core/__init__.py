"""Small pieces shared by every app: field-named constraints, tenant-scoped models."""
