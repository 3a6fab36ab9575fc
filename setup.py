"""Compile the gettext catalogues (``portabilite/locale/*/LC_MESSAGES/*.po``) into the ``.mo``
files Python's gettext reads, whenever the package is built or installed, editable included.
Everything else is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path(__file__).resolve().parent / "portabilite" / "locale"


class build_py_and_catalogues(build_py):
    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as f:
                catalogue = read_po(f, locale=po.parent.parent.name)
            errors = [(m.context, m.id, e) for m, errs in catalogue.check() for e in errs]
            if errors:
                raise SystemExit(f"{po}: {len(errors)} broken translations, first: {errors[0]}")
            with po.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalogue)
        super().run()


setup(cmdclass={"build_py": build_py_and_catalogues})
