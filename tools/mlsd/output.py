"""What every report shares: the --format and --color options, ANSI colour, GitHub annotations."""

from __future__ import annotations

import argparse
import os
from typing import Literal, TextIO

Format = Literal["text", "json", "github"]
ColorChoice = Literal["auto", "always", "never"]
FORMATS: tuple[Format, ...] = ("text", "json", "github")
COLOR_CHOICES: tuple[ColorChoice, ...] = ("auto", "always", "never")

RED, YELLOW, GREEN, BOLD, DIM, RESET = "\033[31m", "\033[33m", "\033[32m", "\033[1m", "\033[2m", "\033[0m"


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """--format and --color, shared by every command that reports problems."""
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    parser.add_argument(
        "--color",
        choices=COLOR_CHOICES,
        default="auto",
        help="colour the text report (default: auto, off when NO_COLOR is set)",
    )


def use_color(choice: ColorChoice, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def paint(text: str, shade: str, color: bool) -> str:
    """text in an ANSI shade when colour is on, as it is."""
    return f"{shade}{text}{RESET}" if color else text


def escape_annotation_data(text: str) -> str:
    """The message of a GitHub Actions workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_annotation_property(text: str) -> str:
    """A property (file=, title=) of a GitHub Actions workflow command."""
    return escape_annotation_data(text).replace(":", "%3A").replace(",", "%2C")
