"""Study tools made from the validated content: the Anki deck, the timed drill and the tickable checklist.

items.py holds the one extraction of study items and their stable ids; every tool here
builds on it, so a card, a drill step and a checklist box name the same thing the same way.
"""
