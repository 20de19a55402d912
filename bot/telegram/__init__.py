"""The Telegram front end: a thin adapter over the core `Responder`."""
