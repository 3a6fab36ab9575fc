"""Using portabilite as a library: read an archive, import it, ask the workspace.

    python examples/library_usage.py [ARCHIVE] [WORKSPACE]
"""
from __future__ import annotations

import os
import sys
import tempfile

from portabilite import PortabiliteError, Workspace, import_archive, open_archive, status

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv: list[str]) -> int:
    archive_path = argv[1] if len(argv) > 1 else os.path.join(HERE, "fictional-archive.zip")
    workspace_path = argv[2] if len(argv) > 2 else os.path.join(tempfile.mkdtemp(), "demo.sqlite3")
    try:
        # 1. Read an archive without storing anything.
        with open_archive(archive_path) as archive:
            account = archive.account()
            following = list(archive.iter_ids("following"))
            _, hints = archive.count_and_hints(account.id)
            print(f"@{account.username} follows {len(following)} accounts ({archive.layout} layout)")
            for x_id in following[:5]:
                hint = hints.get(x_id)
                print(f"  {x_id}: {'@' + hint.screen_name if hint else '(no name in the archive)'}")

        # 2. Import it into a workspace (one transaction; safe to repeat).
        result = import_archive(archive_path, workspace_path)
        print("imported:", result.to_json()["counts"])

        # 3. Ask the workspace later, from any process.
        with Workspace.open(workspace_path, create=False) as ws:
            print("status:", status(ws)["counts"]["following_named"], "followings named")
    except PortabiliteError as exc:  # every deliberate failure is one of these
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
