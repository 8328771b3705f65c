"""The embedded Media Collection backend (aiohttp): app factory, embedded runner, settings."""

from .app import create_app
from .config import ServerConfig
from .embedded import EmbeddedServer

__all__ = ["create_app", "ServerConfig", "EmbeddedServer"]
