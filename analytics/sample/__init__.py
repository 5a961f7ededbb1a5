"""The bundled sample: the fictional city's generator, apart from the lifecycle the app runs at start."""
