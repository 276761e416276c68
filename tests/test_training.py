"""Training memory against published figures (tests/data/training_reference.json names each source)."""
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_data
from llmplanner.core.errors import ConfigError, UnknownNameError
from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.params import count_params
from llmplanner.core.presets import find_preset
from llmplanner.core.training import (
    Trainability,
    TrainingSetup,
    activation_memory,
    lora_trainable_params,
    nf4_double_quant_weight_bytes,
    quantised_linear_params,
    state_bytes,
    training_memory,
    zero_per_gpu_bytes,
)
from llmplanner.core.training.qlora import nf4_dq_tensor_bytes

REF = load_data("training_reference.json")
FULL = Trainability(full=True)


def gpt(hidden: int, layers: int, heads: int, vocab: int = 51200, seq: int = 2048):
    """A GPT-3-style model (LayerNorm, learned positions, 4h GeLU MLP) as Korthikanti et al. assume."""
    return architecture_from_config({"model_type": "gpt2", "n_embd": hidden, "n_layer": layers, "n_head": heads,
                                     "n_positions": seq, "vocab_size": vocab})


# -- Korthikanti et al. 2022 ---------------------------------------------------------------------------------
K = REF["korthikanti_2022"]
K_MODELS = K["models"]


def paper_setup(model, **kw):
    base = dict(seq_len=K["seq_len"], micro_batch=model["micro_batch"], attention_kernel="unfused", dropout=True)
    base.update(kw)
    return TrainingSetup(**base)


def layer_bytes(model, **kw) -> int:
    """One layer's activations as the paper counts them: without the LayerNorms' fp32 mean and rstd (8 bytes
    a token each), which it leaves out and we keep."""
    arch = gpt(model["hidden"], model["layers"], model["heads"])
    acts = activation_memory(arch, paper_setup(model, **kw), FULL)
    stats = sum(v for k, v in acts.terms.items() if k.endswith("_statistics")) // arch.num_layers
    return acts.per_layer[0] - (0 if kw.get("recompute") == "full" else stats)


@pytest.mark.parametrize("model", K_MODELS, ids=[m["name"] for m in K_MODELS])
def test_per_layer_activations_reproduce_table_2(model):
    """Every row of Korthikanti Table 2, for every model of their Table 3 (s = 2048, t = 8)."""
    s, b, h, a, t = K["seq_len"], model["micro_batch"], model["hidden"], model["heads"], K["tensor_parallel"]
    sbh = s * b * h
    quad = 5 * a * s * s * b  # the 5as/h term times sbh
    assert layer_bytes(model) == 34 * sbh + quad
    assert layer_bytes(model, tensor_parallel=t) == 10 * sbh + 24 * sbh // t + quad // t
    assert layer_bytes(model, tensor_parallel=t, sequence_parallel=True) == 34 * sbh // t + quad // t
    assert layer_bytes(model, tensor_parallel=t, recompute="selective") == 10 * sbh + 24 * sbh // t
    assert layer_bytes(model, tensor_parallel=t, sequence_parallel=True, recompute="selective") == 34 * sbh // t
    assert layer_bytes(model, recompute="full") == 2 * sbh
    assert layer_bytes(model, tensor_parallel=t, sequence_parallel=True, recompute="full") == 2 * sbh // t


@pytest.mark.parametrize("name,percent", K["selective_saving_percent"].items())
def test_selective_recomputation_saves_what_section_4_2_says(name, percent):
    """§4.2: selective recomputation removes 70% of GPT-3's and 65% of MT-NLG's activations."""
    model = next(m for m in K_MODELS if m["name"] == name)
    saving = 1 - layer_bytes(model, recompute="selective") / layer_bytes(model)
    assert round(100 * saving) == percent


@pytest.mark.parametrize("name", ["175B (GPT-3)", "530B (MT-NLG)", "1T"])
def test_sequence_parallel_and_selective_recomputation_give_the_abstracts_5x(name):
    """Abstract: "reduces activation memory by 5x" (tensor-parallel baseline against TP + SP + selective)."""
    model = next(m for m in K_MODELS if m["name"] == name)
    t = K["tensor_parallel"]
    before = layer_bytes(model, tensor_parallel=t)
    after = layer_bytes(model, tensor_parallel=t, sequence_parallel=True, recompute="selective")
    assert round(before / after) == K["abstract_reduction_factor"]


def test_whole_model_activations_match_megatrons_estimator():
    """Megatron-LM's theoretical_memory_usage.py (SP + selective, one pipeline stage) for GPT-3 175B. Ours
    adds what it leaves out: every tensor-parallel rank keeps all the token ids (Megatron divides their 8sb
    by t) and the position ids of the learned position table (8sb), the loss keeps its int64 targets (8sb),
    and each LayerNorm its fp32 mean and rstd (8sb/t)."""
    s, b, h, a, L, v, t = 2048, 1, 12288, 96, 96, 51200, 8
    arch = gpt(h, L, a, vocab=v)
    setup = TrainingSetup(seq_len=s, micro_batch=b, tensor_parallel=t, sequence_parallel=True,
                          recompute="selective", attention_kernel="unfused", dropout=True)
    megatron = (s * b * h * L * (18 + 4 * (4 * h) / h) + 8 * s * b + s * b * h + s * b * h * 4 * (1 + v / h)) / t
    left_out = 8 * s * b * (1 - 1 / t) + 8 * s * b + 8 * s * b + (2 * L + 1) * 8 * s * b / t
    assert activation_memory(arch, setup, FULL).total_bytes == megatron + left_out


def test_logits_for_the_loss_dominate_with_a_large_vocabulary():
    """Korthikanti §4.3's 4sbv: Llama-3-8B's 128,256-token vocabulary at 8k tokens is 4.2 GB of fp32 logits,
    more than all 32 layers keep under full recomputation."""
    arch = find_preset("Llama-3-8B").architecture()
    acts = activation_memory(arch, TrainingSetup(seq_len=8192, recompute="full"), FULL)
    assert acts.loss_bytes == 8192 * 128256 * 4 + 8192 * 8  # fp32 logits and the int64 targets
    assert acts.loss_bytes > acts.layers_bytes


# -- generalisation beyond the GPT block -----------------------------------------------------------------------

def llama_like(**over):
    cfg = {"model_type": "llama", "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008,
           "num_hidden_layers": 2, "num_attention_heads": 32, "num_key_value_heads": 32,
           "max_position_embeddings": 4096, "tie_word_embeddings": False}
    cfg.update(over)
    return architecture_from_config(cfg)


def test_gqa_shrinks_only_the_kept_keys_and_values_with_a_fused_kernel():
    s = TrainingSetup(seq_len=1024)
    mha = activation_memory(llama_like(), s, FULL).per_layer[0]
    gqa = activation_memory(llama_like(num_key_value_heads=8), s, FULL).per_layer[0]
    head_dim, tokens = 128, 1024
    assert mha - gqa == 2 * (32 - 8) * head_dim * tokens * 2  # K and V, 16-bit
    eager = replace(s, attention_kernel="eager")
    assert activation_memory(llama_like(), eager, FULL).per_layer[0] == \
        activation_memory(llama_like(num_key_value_heads=8), eager, FULL).per_layer[0]  # repeat_kv copies


def test_gated_mlp_keeps_four_intermediates_per_token():
    s = TrainingSetup(seq_len=512)
    narrow = activation_memory(llama_like(intermediate_size=8192), s, FULL).per_layer[0]
    wide = activation_memory(llama_like(intermediate_size=8192 + 1000), s, FULL).per_layer[0]
    assert wide - narrow == 4 * 1000 * 512 * 2


def test_moe_layers_keep_k_routed_copies():
    """Mixtral routes each token to 2 of 8 experts: the experts' inputs, intermediates and outputs are kept
    twice, whatever the number of experts."""
    mixtral = find_preset("Mixtral-8x7B-v0.1").architecture()
    s = TrainingSetup(seq_len=256)
    terms = activation_memory(mixtral, s, FULL).terms
    tokens, h, f, L = 256, 4096, 14336, 32
    assert terms["expert_inputs"] == L * tokens * 2 * h * 2
    assert terms["expert_gate_projection"] == L * tokens * 2 * f * 2
    assert terms["router_probabilities"] == L * tokens * 8 * 4


def test_lora_keeps_no_inputs_of_frozen_layers():
    """PyTorch saves a linear's input only for its weight gradient: with adapters on q and v, the MLP's
    inputs and the down projection's input are not kept; the attention input is (the adapters read it)."""
    arch = llama_like()
    s = TrainingSetup(mode="lora", seq_len=512, lora_targets=("q", "v"), lora_rank=8)
    mem = training_memory(arch, s)
    terms = mem.activations.terms
    assert "mlp_input" not in terms and "down_projection_input" not in terms
    assert terms["attention_input"] == 2 * 512 * 4096 * 2
    assert terms["lora_a_output[attn_q]"] == 2 * 512 * 8 * 2
    full = training_memory(arch, replace(s, mode="full"))
    assert mem.activations_bytes < full.activations_bytes


# -- model states and ZeRO -----------------------------------------------------------------------------------
Z = REF["zero_figure_1"]


@pytest.mark.parametrize("stage", [0, 1, 2, 3])
def test_zero_figure_1(stage):
    """ZeRO Figure 1: 7.5B parameters on 64 GPUs → 120, 31.4, 16.6, 1.9 GB per GPU."""
    gb = zero_per_gpu_bytes(Z["params"], stage, Z["data_parallel"]) / 1e9
    assert round(gb, 1) == Z["per_gpu_gb"][str(stage)]


@pytest.mark.parametrize("stage", [0, 1, 2, 3])
def test_full_training_model_states_are_zeros_16_bytes_per_parameter(stage):
    arch = find_preset("Llama-2-7B").architecture()
    psi = count_params(arch).total
    mem = training_memory(arch, TrainingSetup(zero_stage=stage, data_parallel=64))
    assert mem.model_states_bytes == zero_per_gpu_bytes(psi, stage, 64)
    if stage == 0:
        assert (mem.weights_bytes, mem.gradients_bytes, mem.optimizer_bytes) == (2 * psi, 2 * psi, 12 * psi)


def test_pure_fp32_training_is_4_4_8():
    arch = find_preset("Llama-2-7B").architecture()
    psi = count_params(arch).total
    mem = training_memory(arch, TrainingSetup(precision="fp32"))
    assert (mem.weights_bytes, mem.gradients_bytes, mem.optimizer_bytes) == (4 * psi, 4 * psi, 8 * psi)


def test_optimizer_states_per_parameter():
    big = (4096, 4096)
    n = 4096 * 4096
    assert state_bytes("adamw", big) == 8 * n
    assert state_bytes("sgd", big) == 0
    assert state_bytes("sgd-momentum", big) == 4 * n
    assert state_bytes("adafactor", big) == 4 * (4096 + 4096)
    assert state_bytes("adafactor", (8, 14336, 4096)) == 4 * (8 * 14336 + 8 * 4096)
    assert state_bytes("adamw-8bit", (4096,)) == 2 * 4096 + 2 * 4 * (4096 // 256)  # uint8 + fp32 absmax/256
    assert state_bytes("adamw-8bit", (4095,)) == 8 * 4095  # below min_8bit_size: 32-bit states


def test_eight_bit_adam_saves_three_quarters_of_the_optimizer_state():
    saving = 1 - state_bytes("adamw-8bit", (4096, 4096)) / state_bytes("adamw", (4096, 4096))
    assert round(100 * saving) == REF["bitsandbytes_8bit"]["state_saving_percent"]


def test_tensor_parallel_splits_matrices():
    arch = find_preset("Llama-2-7B").architecture()
    one = training_memory(arch, TrainingSetup())
    eight = training_memory(arch, TrainingSetup(tensor_parallel=8))
    norms = count_params(arch).breakdown["norms"]
    assert eight.weights_bytes == (one.weights_bytes - 2 * norms) // 8 + 2 * norms


# -- LoRA and QLoRA against PEFT's own output ----------------------------------------------------------------
PEFT = REF["peft_print_trainable_parameters"]


@pytest.mark.parametrize("case", PEFT, ids=[c["model"] for c in PEFT])
def test_lora_trainable_parameters_match_peft(case):
    arch = architecture_from_config(case["config"])
    trainable = lora_trainable_params(arch, case["rank"], case["targets"])
    assert trainable == case["trainable"]
    total = count_params(arch).total
    if case["quantised"]:  # PEFT before PR #733 counted a 4-bit weight as half a parameter
        all_params = total - quantised_linear_params(arch) // 2 + trainable
    else:
        mode = "lora"
        mem = training_memory(arch, TrainingSetup(mode=mode, lora_rank=case["rank"], lora_targets=case["targets"],
                                                  seq_len=16))
        all_params = mem.all_params
        assert mem.trainable_params == trainable
    assert all_params == case["all"]
    if "percent" in case:
        assert f"{100 * trainable / all_params:.4f}" == case["percent"]


def test_all_linear_equals_the_seven_projections_on_llama():
    arch = find_preset("Llama-3-8B").architecture()
    assert lora_trainable_params(arch, 16, ["all-linear"]) == \
        lora_trainable_params(arch, 16, ["q", "k", "v", "o", "gate", "up", "down"])


Q = REF["qlora"]


def test_double_quantisation_costs_0_127_bits_per_weight():
    n = 8192 * 22016
    assert round(nf4_dq_tensor_bytes(n) * 8 / n, 3) == Q["dq_bits_per_weight"]


@pytest.mark.parametrize("model", Q["models"], ids=[m["name"] for m in Q["models"]])
def test_qlora_memory_matches_figure_6(model):
    """Figure 6: batch 1, 512 tokens, gradient checkpointing, r = 64 on all linear layers, paged AdamW,
    bf16 adapters. The paper prints totals without their accounting; we agree within 3%."""
    arch = architecture_from_config(model["config"])
    setup = TrainingSetup(mode="qlora", lora_rank=Q["lora_rank"], lora_targets=("all-linear",),
                          micro_batch=Q["micro_batch"], seq_len=Q["seq_len"], recompute="full")
    mem = training_memory(arch, setup)
    assert mem.total_bytes / 1e9 == pytest.approx(model["figure_6_total_gb"], rel=0.03)
    assert mem.optimizer_paged


def test_qlora_fits_65b_on_one_48gb_gpu_where_16_bit_finetuning_needs_over_780gb():
    arch = architecture_from_config(Q["models"][1]["config"])
    qlora = TrainingSetup(mode="qlora", lora_rank=64, seq_len=512, recompute="full")
    assert training_memory(arch, qlora).total_bytes < Q["single_gpu_gb"] * 1e9
    full = training_memory(arch, TrainingSetup(mode="full", seq_len=512, recompute="full"))
    assert full.total_bytes > Q["full_16bit_65b_more_than_gb"] * 1e9


def test_double_quantisation_saves_about_3gb_on_65b():
    arch = architecture_from_config(Q["models"][1]["config"])
    linear = quantised_linear_params(arch)
    saving = linear * (0.5 - 0.127) / 8
    assert round(saving / 1e9) == Q["dq_saving_65b_gb"]
    rest = (count_params(arch).total - linear) * 2
    assert nf4_double_quant_weight_bytes(arch) == pytest.approx(linear * 4.127 / 8 + rest, rel=1e-4)


def test_qlora_base_bytes_can_come_from_the_caller():
    arch = find_preset("Llama-2-7B").architecture()
    s = TrainingSetup(mode="qlora", seq_len=64)
    given = training_memory(arch, s, base_weight_bytes=2 * nf4_double_quant_weight_bytes(arch))
    local = training_memory(arch, s, base_weight_bytes=nf4_double_quant_weight_bytes(arch))
    adapters = local.trainable_params * 2
    assert given.weights_bytes - adapters == pytest.approx(2 * (local.weights_bytes - adapters), rel=1e-6)


# -- rule of thumb -------------------------------------------------------------------------------------------

def test_rule_of_thumb_sits_beside_the_detailed_answer():
    arch = find_preset("Llama-2-7B").architecture()
    mem = training_memory(arch, TrainingSetup(zero_stage=3, gpu_memory_bytes=80 * 10**9, seq_len=4096,
                                              recompute="full"))
    psi = count_params(arch).total
    assert mem.rule_of_thumb_gpus == pytest.approx(psi / 1e9 * 18 * 1.25 / 80)
    assert "18" in mem.rule_of_thumb_explanation and "1.25" in mem.rule_of_thumb_explanation
    assert "ZeRO" in mem.rule_of_thumb_explanation
    assert mem.detailed_gpus is not None and mem.detailed_gpus >= 2
    fits = training_memory(arch, replace(mem.setup, data_parallel=mem.detailed_gpus))
    assert fits.total_bytes <= 80 * 10**9
    too_few = training_memory(arch, replace(mem.setup, data_parallel=mem.detailed_gpus - 1))
    assert too_few.total_bytes > 80 * 10**9


def test_as_dict_carries_the_breakdown():
    arch = find_preset("Llama-2-7B").architecture()
    d = training_memory(arch, TrainingSetup(mode="lora", seq_len=128)).as_dict()
    for key in ("weights_bytes", "gradients_bytes", "optimizer_bytes", "activations_bytes", "overhead_bytes",
                "total_bytes", "trainable_params", "rule_of_thumb_gpus", "rule_of_thumb_explanation"):
        assert key in d
    assert d["total_bytes"] == sum(d[k] for k in ("weights_bytes", "gradients_bytes", "optimizer_bytes",
                                                  "activations_bytes", "overhead_bytes"))


# -- bad input -----------------------------------------------------------------------------------------------

def test_unknown_names_suggest_the_nearest():
    with pytest.raises(UnknownNameError, match="lora"):
        TrainingSetup(mode="lorra")
    with pytest.raises(UnknownNameError, match="adamw-8bit"):
        TrainingSetup(optimizer="adamw8bit")
    with pytest.raises(UnknownNameError):
        training_memory(llama_like(), TrainingSetup(mode="lora", lora_targets=("q_projection",)))


def test_impossible_setups_are_refused_with_the_field():
    with pytest.raises(ConfigError) as err:
        TrainingSetup(zero_stage=4)
    assert err.value.field == "zero_stage"
    with pytest.raises(ConfigError) as err:
        TrainingSetup(seq_len=0)
    assert err.value.field == "seq_len"
    with pytest.raises(ConfigError) as err:
        training_memory(llama_like(), TrainingSetup(tensor_parallel=3))
    assert err.value.field == "tensor_parallel"
    with pytest.raises(ConfigError) as err:  # Llama has no fused qkv matrix
        training_memory(llama_like(), TrainingSetup(mode="lora", lora_targets=("qkv",)))
    assert err.value.field == "lora_targets"


# -- properties ----------------------------------------------------------------------------------------------
SMALL = settings(max_examples=25, deadline=None)
ARCHS = st.sampled_from(["Llama-3-8B", "Mixtral-8x7B-v0.1", "GPT-2", "Gemma-2-9B", "Phi-3-mini-4k-instruct"])
SETUPS = st.builds(
    TrainingSetup,
    mode=st.sampled_from(["full", "lora", "qlora"]),
    optimizer=st.sampled_from(["adamw", "adamw-8bit", "sgd", "sgd-momentum", "adafactor"]),
    precision=st.sampled_from(["bf16-mixed", "fp32"]),
    recompute=st.sampled_from(["none", "selective", "full"]),
    micro_batch=st.integers(1, 4),
    seq_len=st.integers(1, 4096),
    attention_kernel=st.sampled_from(["flash", "eager"]),
    lora_dropout=st.sampled_from([0.0, 0.1]),
)


@SMALL
@given(name=ARCHS, setup=SETUPS, more=st.integers(1, 2048))
def test_memory_never_falls_with_longer_sequences_or_bigger_batches(name, setup, more):
    arch = find_preset(name).architecture()
    base = training_memory(arch, setup).total_bytes
    assert training_memory(arch, replace(setup, seq_len=setup.seq_len + more)).total_bytes >= base
    assert training_memory(arch, replace(setup, micro_batch=setup.micro_batch + 1)).total_bytes >= base


@SMALL
@given(setup=SETUPS, layers=st.integers(1, 8))
def test_memory_never_falls_with_more_layers(setup, layers):
    arch = find_preset("Llama-3-8B").architecture().replace(num_layers=layers)
    deeper = arch.replace(num_layers=layers + 1)
    assert training_memory(deeper, setup).total_bytes >= training_memory(arch, setup).total_bytes


@SMALL
@given(name=ARCHS, setup=SETUPS, n=st.integers(1, 128))
def test_each_zero_stage_needs_no_more_than_the_one_before(name, setup, n):
    arch = find_preset(name).architecture()
    totals = [training_memory(arch, replace(setup, zero_stage=k, data_parallel=n)).total_bytes
              for k in range(4)]
    assert all(a >= b for a, b in zip(totals, totals[1:]))


@SMALL
@given(name=ARCHS, rank=st.integers(1, 512))
def test_lora_parameters_grow_linearly_with_rank(name, rank):
    arch = find_preset(name).architecture()
    assert lora_trainable_params(arch, rank, ["all-linear"]) == rank * lora_trainable_params(arch, 1, ["all-linear"])


# -- the estimate service's entry point ----------------------------------------------------------------------

def test_estimate_service_runs_the_training_modes():
    from llmplanner.core.estimate import EstimateRequest, HardwareChoice, run_estimate

    arch = find_preset("Llama-2-7B").architecture()
    req = EstimateRequest(arch=arch, mode="qlora", context=512, batch=2,
                          hardware=HardwareChoice(vram_bytes=24 * 2**30, gpu_count=2),
                          training={"lora_rank": 64, "recompute": "full", "optimizer": "adamw-8bit"})
    mem = run_estimate(req).training
    assert (mem.setup.seq_len, mem.setup.micro_batch, mem.setup.data_parallel) == (512, 2, 2)
    assert mem.setup.lora_rank == 64 and mem.setup.gpu_memory_bytes == 24 * 2**30
    assert mem.trainable_params == lora_trainable_params(arch, 64, ["all-linear"])
    assert mem.detailed_gpus == 1 and mem.total_bytes < 24 * 2**30
    with pytest.raises(ConfigError, match="lora_rnak"):
        run_estimate(replace(req, training={"lora_rnak": 8}))


def test_command_line_training_modes_exit_cleanly():
    from conftest import run_cli
    import json

    out = run_cli("estimate", "--preset", "Llama-3-8B", "--mode", "lora", "--context", "1024", "--json")
    assert out.returncode == 0, out.stderr
    memory = json.loads(out.stdout)["memory"]
    assert memory["total_bytes"] == sum(memory[k] for k in ("weights_bytes", "gradients_bytes", "optimizer_bytes",
                                                            "activations_bytes", "overhead_bytes"))


def test_local_nf4_layout_agrees_with_the_formats_module():
    """formats also counts per-tensor code tables and keeps MoE routers 16-bit: within 0.02 %."""
    from llmplanner.core.formats import get_format, weight_bytes

    for name in ("Llama-2-7B", "Mixtral-8x7B-v0.1", "Phi-3-mini-4k-instruct"):
        arch = find_preset(name).architecture()
        theirs = weight_bytes(arch, get_format("nf4-dq")).total
        assert nf4_double_quant_weight_bytes(arch) == pytest.approx(theirs, rel=2e-4)
