"""The bundled demo: a corpus in the real API shapes and a local server that answers like the APIs."""
