"""Scenario files: the model, the YAML loader, expectations, record and replay."""
