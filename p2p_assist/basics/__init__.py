"""Shared basics below every stage: errors, locations, TOML loading, durable files, the audio
format, time formatting and the words every stage uses (speakers, call kinds).

Nothing here imports another p2p_assist package, so any stage can use it without an arrow
running back up the pipeline.
"""
