"""Media Inspector core: Qt-free simulation, client, backend and analysis of the Media Collection API."""

__version__ = "0.1.0"
