"""The single source of truth for the Media Collection API: catalogue, schemas, bodies."""
