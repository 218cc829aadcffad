"""Geography: the gazetteer, toponym detection and resolution, and event locations."""
