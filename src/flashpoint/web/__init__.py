"""The map page's static files (``static/``): HTML, script, styles and vendored Leaflet and outlines."""
