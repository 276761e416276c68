"""The torch probe (in a real child process) and the system layer (on this real machine)."""
import os
import sys
import textwrap

import pytest

from fake_devices import GIB, FakeCudaDevice, fake_torch
from llmplanner import _probe_torch
from llmplanner.core import detect_torch
from llmplanner.core.detect_system import detect_system, parse_cpuinfo


def test_probe_and_reader_agree_on_the_marker():
    assert _probe_torch.MARKER == detect_torch.MARKER


def _fake_torch_package(tmp_path, body: str):
    pkg = tmp_path / "torch"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(textwrap.dedent(body))
    return tmp_path


def test_the_probe_runs_in_a_child_process_and_reads_what_torch_reports(tmp_path, monkeypatch):
    path = _fake_torch_package(tmp_path, """
        from types import SimpleNamespace as NS
        __version__ = "2.5.1+cu124"
        version = NS(cuda="12.4", hip=None)
        _devs = [NS(name="NVIDIA GeForce RTX 4090", total_memory=25393692672, major=8, minor=9, uuid="u0",
                    is_integrated=0, gcnArchName=""),
                 NS(name="NVIDIA GeForce RTX 3060", total_memory=12630163456, major=8, minor=6, uuid="u1",
                    is_integrated=0, gcnArchName="")]
        cuda = NS(is_available=lambda: True, device_count=lambda: 2, get_device_properties=lambda i: _devs[i],
                  mem_get_info=lambda i: (_devs[i].total_memory - 2**30, _devs[i].total_memory))
        backends = NS(mps=NS(is_built=lambda: False, is_available=lambda: False))
        print("noise a library printed")
        """)
    monkeypatch.setenv("PYTHONPATH", str(path))
    result = detect_torch.devices_from_probe(detect_torch.run_probe(timeout=60))
    assert [(d.name, d.index, d.backend, d.compute_capability) for d in result.devices] == [
        ("NVIDIA GeForce RTX 4090", 0, "cuda", "8.9"), ("NVIDIA GeForce RTX 3060", 1, "cuda", "8.6")]
    assert result.devices[0].memory_free_bytes == 25393692672 - GIB
    assert result.torch["version"] == "2.5.1+cu124" and result.report.status == "found"


def test_torch_that_cannot_be_imported_is_reported_by_the_child(tmp_path, monkeypatch):
    path = _fake_torch_package(tmp_path, "raise ImportError('libtorch_cuda.so: cannot open shared object file')\n")
    monkeypatch.setenv("PYTHONPATH", str(path))
    raw = detect_torch.run_probe(timeout=60)
    assert raw["torch_version"] is None and "libtorch_cuda.so" in raw["import_error"]
    assert detect_torch.devices_from_probe(raw).report.status == "unavailable"


def test_a_probe_that_hangs_is_stopped_at_its_timeout(tmp_path, monkeypatch):
    path = _fake_torch_package(tmp_path, "import time\ntime.sleep(60)\n")
    monkeypatch.setenv("PYTHONPATH", str(path))
    raw = detect_torch.run_probe(timeout=1)
    assert "longer than 1 s" in raw["probe_error"]


def test_the_real_torch_here_is_a_cpu_build():
    raw = detect_torch.run_probe()
    assert raw["torch_version"].startswith("2.")
    result = detect_torch.devices_from_probe(raw)
    if raw["cuda_build"] is None and raw["hip_build"] is None:
        assert result.torch["build"] == "a CPU-only build" and result.devices == ()


def test_one_broken_device_does_not_hide_the_others():
    good = FakeCudaDevice("NVIDIA A100-SXM4-80GB", 85031714816, 84000000000, 8, 0, "u0")
    torch = fake_torch(cuda_devices=(good, good))
    props = torch.cuda.get_device_properties

    def flaky(i):
        if i == 1:
            raise RuntimeError("CUDA error: uncorrectable ECC error encountered")
        return props(i)

    torch.cuda.get_device_properties = flaky
    result = detect_torch.devices_from_probe(_probe_torch.probe(torch))
    assert len(result.devices) == 1
    assert any("uncorrectable ECC error" in n for n in result.notes)


X86_CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 1
model name\t: AMD EPYC 7763 64-Core Processor
flags\t\t: fpu vme de pse tsc msr sse sse2 avx fma f16c avx2 bmi2 avx512f avx512_vnni avx512_bf16

processor\t: 1
model name\t: AMD EPYC 7763 64-Core Processor
"""

# /proc/cpuinfo of a Raspberry Pi 4 (Cortex-A72): no "model name", the board in "Model", NEON as "asimd"
ARM_CPUINFO = """processor\t: 0
BogoMIPS\t: 108.00
Features\t: fp asimd evtstrm crc32 cpuid
CPU implementer\t: 0x41
CPU architecture: 8
CPU part\t: 0xd08

Hardware\t: BCM2835
Revision\t: c03114
Model\t\t: Raspberry Pi 4 Model B Rev 1.4
"""


def test_cpu_model_and_vector_features_from_x86_cpuinfo():
    model, features = parse_cpuinfo(X86_CPUINFO)
    assert model == "AMD EPYC 7763 64-Core Processor"
    assert features == ("AVX", "AVX2", "FMA", "F16C", "AVX-512", "AVX512-VNNI", "AVX512-BF16")


def test_cpu_model_and_neon_from_arm_cpuinfo():
    model, features = parse_cpuinfo(ARM_CPUINFO)
    assert model == "Raspberry Pi 4 Model B Rev 1.4"
    assert features == ("NEON",)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's figure is read from /proc/meminfo")
def test_ram_total_matches_the_kernels_figure():
    with open("/proc/meminfo") as f:
        fields = dict(line.split(":", 1) for line in f)
    kib = int(fields["MemTotal"].split()[0])
    facts = detect_system()
    assert facts.ram_total_bytes == kib * 1024
    assert 0 < facts.ram_available_bytes <= facts.ram_total_bytes
    assert facts.cpu.logical_cores == os.cpu_count()
    assert facts.cpu.model and facts.cpu.model != "unknown CPU"
