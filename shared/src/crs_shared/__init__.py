"""Library shared by the CRS services. Importable, never run."""
