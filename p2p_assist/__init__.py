"""p2p-assist: an offline assistant for insurer peer-to-peer review calls.

The package follows the call pipeline: audio -> recognition -> matching -> session -> UI.
Everything outside ``p2p_assist.ui`` is headless and never imports textual.
"""

__version__ = "0.1.0"
