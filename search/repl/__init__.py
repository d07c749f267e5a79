"""The interactive search shell (`newsdex shell`), built on prompt_toolkit.

app.py runs the prompt; commands, completion, highlighting and the toolbar live in their own modules.
"""
