"""Architecture diagrams as data: the rules they follow, their Mermaid text and their SVG.

rules.py checks a case's diagrams and returns located Problems; mermaid.py writes the
Mermaid flowchart that GitHub draws on a case page; svg.py draws the same text as SVG
for the printable checklist and its PDF.
"""
