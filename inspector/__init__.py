"""Media Inspector core: Qt-free simulation, client, backend and analysis.

Covers Adobe's Media Collection API: the protocol catalogue, the async client, the simulated
player, the advisor and the embedded backend.
"""

__version__ = "0.1.0"
