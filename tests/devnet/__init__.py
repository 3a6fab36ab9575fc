"""Local Bluesky network (PLC + PDS + AppView on 127.0.0.1) for integration tests.

See devnet.sh (install/start/stop) and fixture.py (the pytest ``devnet`` fixture).
"""
