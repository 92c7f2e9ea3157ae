"""Timers (``bt.timer``): constants now; scheduling comes with the time issue."""

__all__ = ('SESSION_TIME', 'SESSION_START', 'SESSION_END', 'Timer')

SESSION_TIME, SESSION_START, SESSION_END = range(3)


class Timer:
    """Placeholder: timers are not implemented yet (``add_timer`` raises)."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError('timers are not implemented yet')
