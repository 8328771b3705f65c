"""Load: many simulated viewers on one loop, and Locust users for runs beyond one machine.

:mod:`.engine` is pure asyncio and has no Locust in it; :mod:`.locust_bridge` (imported only
by ``media-inspector load``) puts the engine under Locust's runners and statistics.
"""
