"""The sandbox's HTTP layer: pipeline (auth, faults, rate limit, envelope, errors) and routes."""
