"""The one exception the package raises for anything the tessera binary (or finding it) rejects."""


class TesseraError(Exception):
    """A failure reported by the tessera binary, with its one-line message.

    ``message`` is the binary's error line without its ``error:`` prefix; ``status`` is the exit
    status (None when the binary could not be found or started); ``command`` the argument list run.
    """

    def __init__(self, message, status=None, command=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.command = command
