"""Django's PostgreSQL backend, except that a database which stops answering is given up on after a few seconds.

PostgreSQL's own statement_timeout (set in settings) cancels a slow statement, but a database that hangs (a frozen
server or virtual machine, a stalled disk) runs no timers of its own: the connection stays open, the operating
system still accepts the bytes, and psycopg would wait for an answer for ever. Each worker would then hang until
gunicorn kills it, and visitors get an empty reply instead of the "temporarily unavailable" page. So every wait for
an answer (a query, the health check, commit, rollback) gets a deadline on the client's side too:
settings.DATABASE_ANSWER_TIMEOUT seconds, a little after the server's own statement_timeout, so that a server that is
merely slow cancels the statement itself and the connection stays usable.
"""

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base


class PatientConnection(psycopg.Connection):
    """A psycopg connection that waits for an answer at most settings.DATABASE_ANSWER_TIMEOUT seconds."""

    def wait(self, gen, interval=0.1, timeout=None):
        if timeout is None:
            timeout = settings.DATABASE_ANSWER_TIMEOUT or None
        try:
            return super().wait(gen, interval=interval, timeout=timeout)
        except psycopg.errors.OperationalError as error:
            if self.pgconn.transaction_status == psycopg.pq.TransactionStatus.ACTIVE:
                # Still waiting for the answer: the connection can never be used again. Closing it at once means
                # Django's check afterwards (is it usable?) fails straight away instead of waiting once more.
                self.close()
                raise psycopg.errors.OperationalError(
                    f"the database did not answer within {timeout:g} seconds"
                ) from error
            raise


class _Psycopg:
    """The psycopg module, as Django's backend uses it (errors, adapters, version), with connect() making
    PatientConnections."""

    connect = PatientConnection.connect

    def __getattr__(self, name):
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg()
