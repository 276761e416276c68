"""Activation memory against PyTorch itself: what autograd really keeps for the backward pass.

Tiny models are built by transformers from a config (no weights are downloaded), run forward once on CPU
under ``torch.autograd.graph.saved_tensors_hooks``, and every saved tensor's storage that is not a parameter
is counted once. Our per-layer derivation must equal it byte for byte (a 2-layer model minus a 1-layer one
isolates one layer), and so must the whole model but for the loss's 0-d result.

Families whose modeling code differs from the derivation's assumptions are not here: GPT-2/GPT-J/Phi-1/2's
``gelu_new`` is a chain of Python ops that keeps several intermediates, some models send SDPA a mask that
makes it fall back to the math kernel, and MLA's rotary split keeps extra slices. MoE routing keeps integer
bookkeeping we leave out, so it is held to 2 %.
"""
import logging
import warnings

import pytest
import torch

from llmplanner.core.hf_config import architecture_from_config
from llmplanner.core.training import Trainability, TrainingSetup, activation_memory

warnings.filterwarnings("ignore")
logging.getLogger("transformers").setLevel(logging.ERROR)

SMALL = dict(vocab_size=1000, hidden_size=64, intermediate_size=96, num_attention_heads=4, num_key_value_heads=2,
             max_position_embeddings=128)
DROPOUT_KEYS = ("attention_dropout", "hidden_dropout", "resid_pdrop", "embd_pdrop", "attn_pdrop", "dropout",
                "activation_dropout", "residual_dropout", "embedding_dropout")
SEQ, BATCH = 16, 2

EXACT = {
    "llama": dict(SMALL, model_type="llama"),
    "llama biases, tied, head_dim 24": dict(SMALL, model_type="llama", attention_bias=True, mlp_bias=True,
                                            tie_word_embeddings=True, head_dim=24),
    "qwen3 (per-head qk norm)": dict(SMALL, model_type="qwen3", head_dim=32),
    "olmo2 (full qk norm)": dict(SMALL, model_type="olmo2"),
    "starcoder2 (LayerNorm, GeLU)": dict(SMALL, model_type="starcoder2"),
}
EAGER_ONLY = {  # their SDPA path gets a mask or keeps fused-projection views: checked with eager attention
    "phi3 (fused qkv, gate_up)": dict(SMALL, model_type="phi3", pad_token_id=0),
    "falcon-rw (LayerNorm, alibi)": dict(model_type="falcon", vocab_size=1000, hidden_size=64, num_attention_heads=4,
                                         multi_query=False, parallel_attn=False, bias=True, alibi=True),
    "opt (ReLU)": dict(model_type="opt", vocab_size=1000, hidden_size=64, num_attention_heads=4, ffn_dim=128,
                       max_position_embeddings=128, activation_function="relu"),
}
MOE = {
    "mixtral": dict(SMALL, model_type="mixtral", num_local_experts=4, num_experts_per_tok=2),
    "qwen3_moe": dict(SMALL, model_type="qwen3_moe", head_dim=32, moe_intermediate_size=32, num_experts=6,
                      num_experts_per_tok=2),
}
KERNELS = {"sdpa": "flash", "eager": "eager"}
DTYPES = {"fp32": (torch.float32, "fp32"), "bf16": (torch.bfloat16, "bf16-mixed")}


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """Tiny matmuls are ten times faster on one thread than fighting over two cores."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def layers_key(config):
    return "n_layer" if config["model_type"] in ("gpt2", "gptj") else "num_hidden_layers"


def measured_bytes(config: dict, layers: int, impl: str, dtype, trainable: tuple[str, ...] | None = None) -> int:
    """Bytes of every non-parameter storage autograd saves in one forward pass with labels."""
    from transformers import AutoConfig, AutoModelForCausalLM

    config = dict(config)
    model_type = config.pop("model_type")
    config[layers_key({"model_type": model_type})] = layers
    for key in DROPOUT_KEYS:
        config[key] = 0.0
    cfg = AutoConfig.for_model(model_type, **config)
    cfg._attn_implementation = impl
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(cfg).to(dtype)
    model.train()
    if trainable is not None:
        for name, p in model.named_parameters():
            p.requires_grad_(any(t in name for t in trainable))
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    saved: dict[int, int] = {}

    def pack(t):
        storage = t.untyped_storage()
        if storage.data_ptr() not in params:
            saved[storage.data_ptr()] = storage.nbytes()
        return t

    ids = torch.randint(0, config["vocab_size"], (BATCH, SEQ))
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(input_ids=ids, labels=ids)
    return sum(saved.values())


def ours(config: dict, layers: int, kernel: str, precision: str, train: Trainability):
    arch = architecture_from_config(dict(config, **{layers_key(config): layers}))
    setup = TrainingSetup(precision=precision, seq_len=SEQ, micro_batch=BATCH, attention_kernel=kernel)
    return activation_memory(arch, setup, train)


def check(config, impl, dtype_name, train=Trainability(full=True), trainable=None, exact=True):
    dtype, precision = DTYPES[dtype_name]
    one = measured_bytes(config, 1, impl, dtype, trainable)
    two = measured_bytes(config, 2, impl, dtype, trainable)
    acts = ours(config, 2, KERNELS[impl], precision, train)
    if exact:
        assert acts.per_layer[1] == two - one
        assert two - acts.total_bytes == 4  # the loss itself: a 0-d fp32 tensor
    else:
        assert acts.per_layer[1] == pytest.approx(two - one, rel=0.02)
        assert acts.total_bytes == pytest.approx(two, rel=0.02)


@pytest.mark.parametrize("impl", ["sdpa", "eager"])
@pytest.mark.parametrize("name", EXACT)
def test_full_training_keeps_exactly_what_we_derive(name, impl):
    check(EXACT[name], impl, "fp32")


@pytest.mark.parametrize("name", EAGER_ONLY)
def test_full_training_with_eager_attention(name):
    check(EAGER_ONLY[name], "eager", "fp32")


@pytest.mark.parametrize("impl", ["sdpa", "eager"])
def test_bf16_keeps_fp32_norm_inputs_and_softmax(impl):
    """In bf16, transformers' RMSNorm keeps an fp32 copy of its input and eager attention its fp32 softmax."""
    check(EXACT["llama"], impl, "bf16")


@pytest.mark.parametrize("dtype", ["fp32", "bf16"])
@pytest.mark.parametrize("impl", ["sdpa", "eager"])
def test_frozen_layers_keep_only_what_trained_weights_need(impl, dtype):
    """Only q_proj and v_proj train (LoRA's default targets, adapters of rank 0): frozen linears keep no
    input, frozen norms no normalised copy, and the first layer keeps nothing below its q/v projections."""
    train = Trainability(full=False, adapted=frozenset({"attn_q", "attn_v"}))
    check(EXACT["llama"], impl, dtype, train=train, trainable=("q_proj", "v_proj"))


@pytest.mark.parametrize("name", MOE)
def test_moe_layers_within_two_percent(name):
    check(MOE[name], "sdpa", "fp32", exact=False)
