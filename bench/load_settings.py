"""Settings for bench/load_registrations.py only: the site's settings with the per-address and per-e-mail
registration limits lifted (every post of the load test comes from 127.0.0.1). The honeypot, the signed minimum
fill time and the CSRF check stay on."""

from innovationsvecka.settings import *  # noqa: F403

SIV_REGISTRATIONS_PER_ADDRESS = 10**9
SIV_REGISTRATIONS_PER_EMAIL = 10**9
