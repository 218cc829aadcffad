"""The HTTP API and the map page: ``create_app(store, ApiSettings(...))`` gives a FastAPI app."""

from flashpoint.api.app import ApiSettings, create_app, static_dir

__all__ = ["ApiSettings", "create_app", "static_dir"]
