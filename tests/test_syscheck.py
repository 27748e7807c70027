import builtins
from unittest import mock

from finsam import syscheck


def test_syscheck_says_what_to_install_when_pango_is_missing(capsys):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    with mock.patch("builtins.__import__", side_effect=fake_import):
        assert syscheck.main() == 1
    err = capsys.readouterr().err
    assert "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" in err
    assert "Traceback" not in err


def test_syscheck_passes_here():
    assert syscheck.main() == 0
