<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <source>Model shapes: each model&apos;s Hugging Face config.json, read by rules written from transformers&apos; configuration and modeling files (llmplanner/core/hf_config.py).</source>
        <translation>模型结构：取自各模型的 Hugging Face config.json，按照依据 transformers 的配置与建模文件编写的规则读取（llmplanner/core/hf_config.py）。</translation>
    </message>
    <message>
        <source>Tensor names: llama.cpp&apos;s GGUF convention (gguf-py/gguf/constants.py).</source>
        <translation>张量名称：采用 llama.cpp 的 GGUF 命名约定（gguf-py/gguf/constants.py）。</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About llmplanner</source>
        <translation>关于 llmplanner</translation>
    </message>
    <message>
        <source>Will this LLM run on my machine? In which precision, with how much context, how fast? And what do the sampling settings actually do?</source>
        <translation>这个大模型能在我的机器上运行吗？用什么精度、多长的上下文、速度多快？采样设置究竟起什么作用？</translation>
    </message>
    <message>
        <source>Licence: MIT. Python {0}, Qt {1}, PySide6 {2}, pyqtgraph {3}.</source>
        <translation>许可证：MIT。Python {0}，Qt {1}，PySide6 {2}，pyqtgraph {3}。</translation>
    </message>
    <message>
        <source>Where the numbers come from</source>
        <translation>数字的来源</translation>
    </message>
</context>
<context>
    <name>Arch</name>
    <message>
        <source>Dimensions</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>The model&apos;s name in the plan, reports and the window title.</source>
        <translation>模型在方案、报告和窗口标题中显示的名称。</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏层大小</translation>
    </message>
    <message>
        <source>Width of the residual stream (d_model), in numbers per token. config.json: hidden_size.</source>
        <translation>残差流的宽度（d_model），单位为每个 token 的数值个数。config.json：hidden_size。</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Number of transformer blocks. config.json: num_hidden_layers.</source>
        <translation>Transformer 块的数量。config.json：num_hidden_layers。</translation>
    </message>
    <message>
        <source>Parallel attention and MLP</source>
        <translation>注意力与 MLP 并行</translation>
    </message>
    <message>
        <source>Attention and MLP read the same input and add to one residual (GPT-J, GPT-NeoX, Falcon).</source>
        <translation>注意力和 MLP 读取同一输入并加到同一残差上（GPT-J、GPT-NeoX、Falcon）。</translation>
    </message>
    <message>
        <source>Causal decoder</source>
        <translation>因果解码器</translation>
    </message>
    <message>
        <source>Generates text token by token. Off for encoders such as BERT, which keep no KV cache.</source>
        <translation>逐个 token 生成文本。对 BERT 等编码器应关闭，它们不保留 KV 缓存。</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Standard multi-head attention (MHA, GQA, MQA) or DeepSeek&apos;s multi-head latent attention (MLA), which compresses keys and values into a low-rank latent.</source>
        <translation>标准多头注意力（MHA、GQA、MQA），或 DeepSeek 的多头潜在注意力（MLA），后者把键和值压缩到一个低秩潜在向量中。</translation>
    </message>
    <message>
        <source>Standard (MHA / GQA / MQA)</source>
        <translation>标准（MHA / GQA / MQA）</translation>
    </message>
    <message>
        <source>Multi-head latent (MLA)</source>
        <translation>多头潜在注意力（MLA）</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <source>Query heads per layer. config.json: num_attention_heads.</source>
        <translation>每层的查询头数。config.json：num_attention_heads。</translation>
    </message>
    <message>
        <source>Key/value heads</source>
        <translation>键/值头数</translation>
    </message>
    <message>
        <source>Heads of keys and values: equal to the attention heads for MHA, fewer for GQA, 1 for MQA. Must divide the attention heads. config.json: num_key_value_heads.</source>
        <translation>键和值的头数：MHA 等于注意力头数，GQA 更少，MQA 为 1。必须整除注意力头数。config.json：num_key_value_heads。</translation>
    </message>
    <message>
        <source>Head size</source>
        <translation>头维度</translation>
    </message>
    <message>
        <source>Numbers per head; usually hidden size ÷ heads, but Gemma and Qwen3 choose it freely. config.json: head_dim.</source>
        <translation>每个头的数值个数；通常为隐藏层大小 ÷ 头数，但 Gemma 和 Qwen3 自行设定。config.json：head_dim。</translation>
    </message>
    <message>
        <source>Biases</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>Bias vectors on the query/key/value projections only (Qwen2) or on the output projection too (GPT-2).</source>
        <translation>只在查询/键/值投影上有偏置向量（Qwen2），或者输出投影上也有（GPT-2）。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>q, k, v</source>
        <translation>q、k、v</translation>
    </message>
    <message>
        <source>q, k, v and output</source>
        <translation>q、k、v 和输出</translation>
    </message>
    <message>
        <source>Query/key norm</source>
        <translation>查询/键归一化</translation>
    </message>
    <message>
        <source>A norm on queries and keys: per head (Qwen3, Gemma 3) or over all heads (OLMo 2).</source>
        <translation>对查询和键做归一化：按头（Qwen3、Gemma 3）或跨所有头（OLMo 2）。</translation>
    </message>
    <message>
        <source>per head</source>
        <translation>按头</translation>
    </message>
    <message>
        <source>over all heads</source>
        <translation>跨所有头</translation>
    </message>
    <message>
        <source>Fused q/k/v matrix</source>
        <translation>融合的 q/k/v 矩阵</translation>
    </message>
    <message>
        <source>Queries, keys and values stored as one matrix (GPT-2, Phi-3): same count, another tensor name.</source>
        <translation>查询、键和值存为一个矩阵（GPT-2、Phi-3）：参数量相同，只是张量名称不同。</translation>
    </message>
    <message>
        <source>Query rank (MLA)</source>
        <translation>查询秩（MLA）</translation>
    </message>
    <message>
        <source>Width of MLA&apos;s low-rank query bottleneck; &apos;none&apos; projects queries at full rank. config.json: q_lora_rank.</source>
        <translation>MLA 低秩查询瓶颈的宽度；“无”表示以满秩投影查询。config.json：q_lora_rank。</translation>
    </message>
    <message>
        <source>Key/value latent rank (MLA)</source>
        <translation>键/值潜在秩（MLA）</translation>
    </message>
    <message>
        <source>Width of the compressed key/value latent that MLA caches instead of keys and values. config.json: kv_lora_rank.</source>
        <translation>MLA 缓存的压缩键/值潜在向量的宽度，用来代替键和值本身。config.json：kv_lora_rank。</translation>
    </message>
    <message>
        <source>Rotary key size (MLA)</source>
        <translation>旋转键维度（MLA）</translation>
    </message>
    <message>
        <source>Numbers per head of the decoupled rotary part of queries and keys. config.json: qk_rope_head_dim.</source>
        <translation>查询和键中解耦的旋转位置部分每个头的数值个数。config.json：qk_rope_head_dim。</translation>
    </message>
    <message>
        <source>Non-rotary key size (MLA)</source>
        <translation>非旋转键维度（MLA）</translation>
    </message>
    <message>
        <source>Numbers per head of the part of queries and keys without position encoding. config.json: qk_nope_head_dim.</source>
        <translation>查询和键中不带位置编码部分每个头的数值个数。config.json：qk_nope_head_dim。</translation>
    </message>
    <message>
        <source>Value head size (MLA)</source>
        <translation>值头维度（MLA）</translation>
    </message>
    <message>
        <source>Numbers per head of the values. config.json: v_head_dim.</source>
        <translation>值每个头的数值个数。config.json：v_head_dim。</translation>
    </message>
    <message>
        <source>Sliding window</source>
        <translation>滑动窗口</translation>
    </message>
    <message>
        <source>Tokens a sliding-window layer attends to; &apos;none&apos; means every layer sees the whole context. config.json: sliding_window.</source>
        <translation>滑动窗口层关注的 token 数；“无”表示每一层都看到完整上下文。config.json：sliding_window。</translation>
    </message>
    <message>
        <source>Sliding-window layers</source>
        <translation>滑动窗口层</translation>
    </message>
    <message>
        <source>Which layers use the window, counted from 0: e.g. 0-40:2 for every second layer. Empty means all layers.</source>
        <translation>哪些层使用窗口，从 0 开始计数：例如 0-40:2 表示每隔一层。留空表示所有层。</translation>
    </message>
    <message>
        <source>MLP and experts</source>
        <translation>MLP 与专家</translation>
    </message>
    <message>
        <source>MLP width</source>
        <translation>MLP 宽度</translation>
    </message>
    <message>
        <source>Hidden width of the feed-forward block, in numbers per token. config.json: intermediate_size.</source>
        <translation>前馈块的隐藏宽度，单位为每个 token 的数值个数。config.json：intermediate_size。</translation>
    </message>
    <message>
        <source>Gated MLP (SwiGLU / GeGLU)</source>
        <translation>门控 MLP（SwiGLU / GeGLU）</translation>
    </message>
    <message>
        <source>Three matrices (gate, up, down) instead of two (up, down).</source>
        <translation>三个矩阵（gate、up、down），而不是两个（up、down）。</translation>
    </message>
    <message>
        <source>MLP biases</source>
        <translation>MLP 偏置</translation>
    </message>
    <message>
        <source>Bias vectors on the feed-forward matrices (GPT-2, BERT).</source>
        <translation>前馈矩阵上的偏置向量（GPT-2、BERT）。</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>The nonlinearity; it changes no count. config.json: hidden_act.</source>
        <translation>非线性函数；不影响参数量。config.json：hidden_act。</translation>
    </message>
    <message>
        <source>Fused gate/up matrix</source>
        <translation>融合的 gate/up 矩阵</translation>
    </message>
    <message>
        <source>Gate and up stored as one matrix (Phi-3): same count, another tensor name.</source>
        <translation>gate 和 up 存为一个矩阵（Phi-3）：参数量相同，只是张量名称不同。</translation>
    </message>
    <message>
        <source>Mixture of experts</source>
        <translation>混合专家（MoE）</translation>
    </message>
    <message>
        <source>Replace the MLP of some layers by routed experts, of which each token uses a few.</source>
        <translation>把部分层的 MLP 换成路由专家，每个 token 只使用其中少数几个。</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>专家数</translation>
    </message>
    <message>
        <source>Routed experts per sparse layer. config.json: num_local_experts or n_routed_experts.</source>
        <translation>每个稀疏层的路由专家数。config.json：num_local_experts 或 n_routed_experts。</translation>
    </message>
    <message>
        <source>Experts per token</source>
        <translation>每 token 专家数</translation>
    </message>
    <message>
        <source>Experts each token is routed to (top-k). config.json: num_experts_per_tok.</source>
        <translation>每个 token 被路由到的专家数（top-k）。config.json：num_experts_per_tok。</translation>
    </message>
    <message>
        <source>Expert width</source>
        <translation>专家宽度</translation>
    </message>
    <message>
        <source>Hidden width of one expert&apos;s MLP. config.json: moe_intermediate_size.</source>
        <translation>单个专家 MLP 的隐藏宽度。config.json：moe_intermediate_size。</translation>
    </message>
    <message>
        <source>Shared expert width</source>
        <translation>共享专家宽度</translation>
    </message>
    <message>
        <source>Total width of the always-active shared experts (DeepSeek: shared experts × expert width); 0 for none.</source>
        <translation>始终激活的共享专家的总宽度（DeepSeek：共享专家数 × 专家宽度）；0 表示没有。</translation>
    </message>
    <message>
        <source>Shared experts</source>
        <translation>共享专家数</translation>
    </message>
    <message>
        <source>How many experts the shared width is made of (informative; the width decides the count).</source>
        <translation>共享宽度由多少个专家组成（仅供参考；参数量由宽度决定）。</translation>
    </message>
    <message>
        <source>Shared expert gate</source>
        <translation>共享专家门控</translation>
    </message>
    <message>
        <source>A sigmoid gate on the shared expert&apos;s output (Qwen2-MoE).</source>
        <translation>共享专家输出上的 sigmoid 门控（Qwen2-MoE）。</translation>
    </message>
    <message>
        <source>Leading dense layers</source>
        <translation>开头的稠密层</translation>
    </message>
    <message>
        <source>Layers at the start that keep the dense MLP (DeepSeek-V3: 3). config.json: first_k_dense_replace.</source>
        <translation>开头保留稠密 MLP 的层数（DeepSeek-V3：3）。config.json：first_k_dense_replace。</translation>
    </message>
    <message>
        <source>Every n-th layer sparse</source>
        <translation>每 n 层一个稀疏层</translation>
    </message>
    <message>
        <source>1 makes every layer after the leading dense ones sparse, 2 every second one.</source>
        <translation>1 表示开头稠密层之后的每一层都是稀疏层，2 表示每隔一层。</translation>
    </message>
    <message>
        <source>Other dense layers</source>
        <translation>其他稠密层</translation>
    </message>
    <message>
        <source>Further layers that keep the dense MLP, counted from 0 (e.g. 0-3, 10).</source>
        <translation>其他保留稠密 MLP 的层，从 0 开始计数（例如 0-3, 10）。</translation>
    </message>
    <message>
        <source>Router bias</source>
        <translation>路由器偏置</translation>
    </message>
    <message>
        <source>A bias on the router&apos;s linear layer.</source>
        <translation>路由器线性层上的偏置。</translation>
    </message>
    <message>
        <source>Expert score bias</source>
        <translation>专家得分偏置</translation>
    </message>
    <message>
        <source>DeepSeek-V3&apos;s per-expert correction bias used to pick the top-k experts.</source>
        <translation>DeepSeek-V3 为每个专家设置的修正偏置，用于选出 top-k 专家。</translation>
    </message>
    <message>
        <source>Expert biases</source>
        <translation>专家偏置</translation>
    </message>
    <message>
        <source>Bias vectors inside each expert&apos;s matrices.</source>
        <translation>每个专家矩阵内的偏置向量。</translation>
    </message>
    <message>
        <source>Gated experts</source>
        <translation>门控专家</translation>
    </message>
    <message>
        <source>Experts with three matrices (gate, up, down) instead of two.</source>
        <translation>专家有三个矩阵（gate、up、down），而不是两个。</translation>
    </message>
    <message>
        <source>Embeddings and norms</source>
        <translation>嵌入与归一化</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Tokens in the vocabulary: rows of the embedding and of the output head. config.json: vocab_size.</source>
        <translation>词表中的 token 数：嵌入矩阵和输出头的行数。config.json：vocab_size。</translation>
    </message>
    <message>
        <source>Tied output head</source>
        <translation>输出头与嵌入共享</translation>
    </message>
    <message>
        <source>The output head reuses the input embedding matrix, so it is counted once. config.json: tie_word_embeddings.</source>
        <translation>输出头复用输入嵌入矩阵，因此只计一次。config.json：tie_word_embeddings。</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>位置编码</translation>
    </message>
    <message>
        <source>How positions are encoded: rotary (RoPE, no parameters), a learned table (GPT-2, BERT), ALiBi or none.</source>
        <translation>位置的编码方式：旋转（RoPE，无参数）、可学习的位置表（GPT-2、BERT）、ALiBi 或无。</translation>
    </message>
    <message>
        <source>rotary (RoPE)</source>
        <translation>旋转（RoPE）</translation>
    </message>
    <message>
        <source>learned table</source>
        <translation>可学习的位置表</translation>
    </message>
    <message>
        <source>ALiBi</source>
        <translation>ALiBi</translation>
    </message>
    <message>
        <source>Learned positions</source>
        <translation>可学习位置数</translation>
    </message>
    <message>
        <source>Rows of the learned position table. config.json: max_position_embeddings or n_positions.</source>
        <translation>可学习位置表的行数。config.json：max_position_embeddings 或 n_positions。</translation>
    </message>
    <message>
        <source>Position offset</source>
        <translation>位置偏移</translation>
    </message>
    <message>
        <source>Extra rows of the learned table (OPT reserves 2).</source>
        <translation>可学习位置表的额外行数（OPT 预留 2 行）。</translation>
    </message>
    <message>
        <source>Token types</source>
        <translation>token 类型数</translation>
    </message>
    <message>
        <source>Rows of BERT&apos;s segment embedding; 0 for none. config.json: type_vocab_size.</source>
        <translation>BERT 片段嵌入的行数；0 表示没有。config.json：type_vocab_size。</translation>
    </message>
    <message>
        <source>Norm after embeddings</source>
        <translation>嵌入后归一化</translation>
    </message>
    <message>
        <source>A norm right after the embedding lookup (BERT, BLOOM).</source>
        <translation>嵌入查表之后紧接一个归一化（BERT、BLOOM）。</translation>
    </message>
    <message>
        <source>Embedding width</source>
        <translation>嵌入宽度</translation>
    </message>
    <message>
        <source>OPT&apos;s word_embed_proj_dim when embeddings are narrower than the hidden size; &apos;none&apos; when equal.</source>
        <translation>当嵌入比隐藏层窄时为 OPT 的 word_embed_proj_dim；相等时为“无”。</translation>
    </message>
    <message>
        <source>Pooler</source>
        <translation>池化层</translation>
    </message>
    <message>
        <source>BERT&apos;s pooler: a hidden × hidden layer on the first token.</source>
        <translation>BERT 的池化层：作用于第一个 token 的 隐藏×隐藏 全连接层。</translation>
    </message>
    <message>
        <source>Output bias</source>
        <translation>输出偏置</translation>
    </message>
    <message>
        <source>A bias vector on the output head.</source>
        <translation>输出头上的偏置向量。</translation>
    </message>
    <message>
        <source>Norm</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>RMSNorm (a scale per channel) or LayerNorm (scale and usually a bias).</source>
        <translation>RMSNorm（每个通道一个缩放）或 LayerNorm（缩放，通常还有偏置）。</translation>
    </message>
    <message>
        <source>Norms per layer</source>
        <translation>每层归一化数</translation>
    </message>
    <message>
        <source>1 for one shared pre-norm (GPT-J), 2 before attention and MLP, 4 with Gemma&apos;s post-norms.</source>
        <translation>1 表示一个共享的前置归一化（GPT-J），2 表示注意力和 MLP 之前各一个，4 表示带 Gemma 的后置归一化。</translation>
    </message>
    <message>
        <source>Final norm</source>
        <translation>最终归一化</translation>
    </message>
    <message>
        <source>A norm after the last layer, before the output head.</source>
        <translation>最后一层之后、输出头之前的归一化。</translation>
    </message>
    <message>
        <source>Norm bias</source>
        <translation>归一化偏置</translation>
    </message>
    <message>
        <source>Whether norms carry a bias: automatic means LayerNorm does and RMSNorm does not.</source>
        <translation>归一化是否带偏置：自动表示 LayerNorm 有、RMSNorm 没有。</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Maximum context</source>
        <translation>最大上下文</translation>
    </message>
    <message>
        <source>The longest context the model was trained or extended for, in tokens. config.json: max_position_embeddings.</source>
        <translation>模型训练或扩展所支持的最长上下文，单位为 token。config.json：max_position_embeddings。</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>ArchitectureForm</name>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{0}:</source>
        <translation>{0}：</translation>
    </message>
    <message>
        <source>all layers</source>
        <translation>所有层</translation>
    </message>
</context>
<context>
    <name>ArchitectureTab</name>
    <message>
        <source>{0} (edited)</source>
        <translation>{0}（已编辑）</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameter counts: tensor by tensor from the architecture, under Hugging Face transformers&apos; convention (llmplanner/core/tensors.py), checked against transformers itself and published counts.</source>
        <translation>参数量：按 Hugging Face transformers 的约定从架构逐个张量计算（llmplanner/core/tensors.py），并与 transformers 本身及公开的参数量核对。</translation>
    </message>
    <message>
        <source>FLOPs per token: Kaplan et al. 2020, Scaling Laws for Neural Language Models (arXiv:2001.08361), Table 1.</source>
        <translation>每 token FLOPs：Kaplan 等 2020，Scaling Laws for Neural Language Models（arXiv:2001.08361），表 1。</translation>
    </message>
    <message>
        <source>Compute-optimal training: Hoffmann et al. 2022, Training Compute-Optimal Large Language Models (arXiv:2203.15556).</source>
        <translation>计算最优训练：Hoffmann 等 2022，Training Compute-Optimal Large Language Models（arXiv:2203.15556）。</translation>
    </message>
    <message>
        <source>Counting parameters…</source>
        <translation>正在统计参数…</translation>
    </message>
    <message>
        <source>Total parameters</source>
        <translation>总参数量</translation>
    </message>
    <message>
        <source>Every parameter of the model, a tied embedding counted once (Hugging Face&apos;s convention).</source>
        <translation>模型的全部参数，共享的嵌入只计一次（Hugging Face 的约定）。</translation>
    </message>
    <message>
        <source>Active per token</source>
        <translation>每 token 激活参数</translation>
    </message>
    <message>
        <source>Parameters one token&apos;s forward pass reads: all of a dense model, k of the E experts of a mixture.</source>
        <translation>一个 token 的前向计算读取的参数：稠密模型为全部参数，混合专家模型为 E 个专家中的 k 个。</translation>
    </message>
    <message>
        <source>Forward FLOPs per token</source>
        <translation>每 token 前向 FLOPs</translation>
    </message>
    <message>
        <source>Floating-point operations to generate one token at the context below: 2 per active matrix parameter plus attention over the context (Kaplan et al. 2020).</source>
        <translation>在下方上下文长度下生成一个 token 所需的浮点运算：每个激活矩阵参数 2 次，加上对上下文的注意力计算（Kaplan 等 2020）。</translation>
    </message>
    <message>
        <source>Conte&amp;xt:</source>
        <translation>上下文(&amp;X)：</translation>
    </message>
    <message>
        <source>Parameters per component; with a pinned model, both side by side.</source>
        <translation>各组成部分的参数量；固定了对比模型时并排显示两者。</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组成部分</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>&amp;Breakdown</source>
        <translation>构成(&amp;B)</translation>
    </message>
    <message>
        <source>Per &amp;layer</source>
        <translation>逐层(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Scaling law</source>
        <translation>缩放定律(&amp;S)</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>对比(&amp;M)</translation>
    </message>
    <message>
        <source>The plan&apos;s context ({0} tokens) is longer than this model&apos;s maximum; figures here use {1}.</source>
        <translation>方案的上下文（{0} 个 token）超过了该模型的最大值；此处按 {1} 计算。</translation>
    </message>
    <message>
        <source>Counting parameters of {0}…</source>
        <translation>正在统计 {0} 的参数…</translation>
    </message>
    <message>
        <source>The last valid architecture&apos;s figures are shown until the marked field is corrected.</source>
        <translation>在标出的字段改正之前，显示的是上一个有效架构的结果。</translation>
    </message>
    <message>
        <source>{0}, {1:.1%} of the total</source>
        <translation>{0}，占总量的 {1:.1%}</translation>
    </message>
    <message>
        <source>at {0} tokens: weights {1}, attention {2}</source>
        <translation>{0} 个 token 时：权重 {1}，注意力 {2}</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Model: {0} ({1} layers, hidden size {2}, {3} attention with {4} heads and {5} key/value heads)</source>
        <translation>模型：{0}（{1} 层，隐藏层大小 {2}，{3} 注意力，{4} 个头，{5} 个键/值头）</translation>
    </message>
    <message>
        <source>Total parameters: {0} ({1})</source>
        <translation>总参数量：{0}（{1}）</translation>
    </message>
    <message>
        <source>Active parameters per token: {0}</source>
        <translation>每 token 激活参数：{0}</translation>
    </message>
    <message>
        <source>Forward FLOPs per token at {0} tokens of context: {1}</source>
        <translation>上下文 {0} 个 token 时每 token 前向 FLOPs：{1}</translation>
    </message>
    <message>
        <source>Parameter breakdown</source>
        <translation>参数构成</translation>
    </message>
    <message>
        <source>Parameters per layer</source>
        <translation>逐层参数</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <source>predicted loss (nats/token)</source>
        <translation>预测损失（nats/token）</translation>
    </message>
    <message>
        <source>training tokens</source>
        <translation>训练 token 数</translation>
    </message>
</context>
<context>
    <name>CheckPanel</name>
    <message>
        <source>Builds the plan&apos;s model with random weights on this machine (fewer layers of the same width when the whole model does not fit), runs a prefill and a decode with a KV cache, and measures peak memory and tokens/s. Needs torch.</source>
        <translation>在本机上用随机权重构建方案中的模型（整个模型放不下时，构建宽度相同、层数更少的模型），运行一次带 KV 缓存的预填充和解码，并测量峰值内存和每秒 token 数。需要 torch。</translation>
    </message>
    <message>
        <source>auto: a CUDA/ROCm GPU, else Apple MPS, else the CPU.</source>
        <translation>auto：优先 CUDA/ROCm GPU，其次 Apple MPS，否则 CPU。</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <source>Tokens in the measured prefill.</source>
        <translation>被测预填充中的 token 数。</translation>
    </message>
    <message>
        <source>Tokens decoded after the prompt.</source>
        <translation>提示之后解码的 token 数。</translation>
    </message>
    <message>
        <source>&amp;Record in this machine&apos;s calibration</source>
        <translation>记入本机校准(&amp;R)</translation>
    </message>
    <message>
        <source>Keep the achieved bandwidth and FLOP/s for this device and dtype.</source>
        <translation>为此设备和数据类型保存实测带宽与 FLOP/s。</translation>
    </message>
    <message>
        <source>Check on this &amp;machine</source>
        <translation>在本机上检验(&amp;M)</translation>
    </message>
    <message>
        <source>Measure the plan&apos;s model here (takes seconds to minutes).</source>
        <translation>在本机测量方案中的模型（需要数秒到数分钟）。</translation>
    </message>
    <message>
        <source>C&amp;ancel</source>
        <translation>取消(&amp;A)</translation>
    </message>
    <message>
        <source>Stop the measurement at its next step; nothing is recorded.</source>
        <translation>在下一步停止测量；不记录任何结果。</translation>
    </message>
    <message>
        <source>De&amp;vice:</source>
        <translation>设备(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Prompt:</source>
        <translation>提示(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Generate:</source>
        <translation>生成(&amp;G)：</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>量</translation>
    </message>
    <message>
        <source>Measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <source>What the check measured here.</source>
        <translation>本次检验在本机测得的值。</translation>
    </message>
    <message>
        <source>Estimated</source>
        <translation>估算</translation>
    </message>
    <message>
        <source>The engines&apos; estimate for exactly what the check built and ran (transformers runtime).</source>
        <translation>引擎对本次检验所构建和运行内容的估算（transformers 运行时）。</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>(estimated − measured) ÷ measured.</source>
        <translation>（估算 − 实测）÷ 实测。</translation>
    </message>
    <message>
        <source>This machine&apos;s calibration</source>
        <translation>本机校准</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>The dtype the checks ran in.</source>
        <translation>检验运行所用的数据类型。</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Measurements kept (the last 20).</source>
        <translation>保存的测量（最近 20 次）。</translation>
    </message>
    <message>
        <source>Decode bandwidth</source>
        <translation>解码带宽</translation>
    </message>
    <message>
        <source>Bytes a decoded token reads ÷ seconds per token, GB/s (a least-squares line through the runs when their sizes differ); in brackets, the share of the spec-sheet bandwidth.</source>
        <translation>每个解码 token 读取的字节数 ÷ 每个 token 的秒数，单位 GB/s（各次运行规模不同时取最小二乘拟合直线）；括号内为占规格带宽的比例。</translation>
    </message>
    <message>
        <source>Fixed cost</source>
        <translation>固定开销</translation>
    </message>
    <message>
        <source>Seconds per token that do not depend on size (launches, Python), ms.</source>
        <translation>每个 token 与规模无关的耗时（内核启动、Python），单位 ms。</translation>
    </message>
    <message>
        <source>Prefill compute</source>
        <translation>预填充算力</translation>
    </message>
    <message>
        <source>Achieved prefill FLOP/s, TFLOP/s; in brackets, the share of the spec-sheet peak.</source>
        <translation>实测预填充 FLOP/s，单位 TFLOP/s；括号内为占规格峰值的比例。</translation>
    </message>
    <message>
        <source>R&amp;eset calibration</source>
        <translation>重置校准(&amp;E)</translation>
    </message>
    <message>
        <source>Delete this machine&apos;s calibration file.</source>
        <translation>删除本机的校准文件。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Cancelling at the next step…</source>
        <translation>将在下一步取消…</translation>
    </message>
    <message>
        <source> (scaled: {0} of {1} layers)</source>
        <translation>（已缩小：{1} 层中构建了 {0} 层）</translation>
    </message>
    <message>
        <source>Measured {0} on {1} ({2}, {3}){4}.</source>
        <translation>已在 {1}（{2}，{3}）上测量 {0}{4}。</translation>
    </message>
    <message>
        <source>The check failed: {0}</source>
        <translation>检验失败：{0}</translation>
    </message>
    <message>
        <source>Cancelled: nothing was recorded.</source>
        <translation>已取消：未记录任何结果。</translation>
    </message>
    <message>
        <source>Peak memory</source>
        <translation>峰值内存</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>KV cache ({0} + {1} tokens)</source>
        <translation>KV 缓存（{0} + {1} 个 token）</translation>
    </message>
    <message>
        <source>Prefill</source>
        <translation>预填充</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>No speed estimate: the device is not in the hardware catalogue.</source>
        <translation>没有速度估算：该设备不在硬件目录中。</translation>
    </message>
    <message>
        <source>File: {0}</source>
        <translation>文件：{0}</translation>
    </message>
    <message>
        <source>No measurements yet (file: {0}).</source>
        <translation>尚无测量（文件：{0}）。</translation>
    </message>
    <message>
        <source>Reset calibration</source>
        <translation>重置校准</translation>
    </message>
    <message>
        <source>Delete this machine&apos;s calibration ({0} device entries)?</source>
        <translation>删除本机校准（{0} 个设备条目）？</translation>
    </message>
</context>
<context>
    <name>CommandsPanel</name>
    <message>
        <source>The command, ready to paste into a terminal (or a Python file).</source>
        <translation>可直接粘贴到终端（或 Python 文件）中的命令。</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Copy this command to the clipboard.</source>
        <translation>将此命令复制到剪贴板。</translation>
    </message>
    <message>
        <source>Flags as documented in &lt;a href=&quot;{0}&quot;&gt;{0}&lt;/a&gt;</source>
        <translation>参数依据 &lt;a href=&quot;{0}&quot;&gt;{0}&lt;/a&gt; 中的文档</translation>
    </message>
</context>
<context>
    <name>Compare</name>
    <message>
        <source>Total parameters</source>
        <translation>总参数量</translation>
    </message>
    <message>
        <source>Active per token</source>
        <translation>每 token 激活参数</translation>
    </message>
    <message>
        <source>Non-embedding</source>
        <translation>非嵌入参数</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏层大小</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Maximum context</source>
        <translation>最大上下文</translation>
    </message>
    <message>
        <source>Forward FLOPs per token</source>
        <translation>每 token 前向 FLOPs</translation>
    </message>
    <message>
        <source>{0} at {1}</source>
        <translation>{1} 时 {0}</translation>
    </message>
    <message>
        <source>Memory: {0}, {1}, KV cache {2}, {3} tokens × {4}</source>
        <translation>内存：{0}，{1}，KV 缓存 {2}，{3} 个 token × {4}</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>Overhead</source>
        <translation>额外开销</translation>
    </message>
    <message>
        <source>Memory of {0}</source>
        <translation>{0} 的内存</translation>
    </message>
</context>
<context>
    <name>ComparePage</name>
    <message>
        <source>Same values: the selected engine&apos;s settings, sent to every engine</source>
        <translation>相同数值：把所选引擎的设置原样发给每个引擎</translation>
    </message>
    <message>
        <source>Same request: what you did not set takes each engine&apos;s default</source>
        <translation>相同请求：未设置的项取各引擎自己的默认值</translation>
    </message>
    <message>
        <source>Same request: the settings you set go to every engine, each fills in the rest with its own defaults (what happens when one request goes to several servers). Same values: every engine gets the numbers the selected engine ran with, so only the engines&apos; order and boundaries differ.</source>
        <translation>相同请求：你设置的项发给每个引擎，其余由各引擎用自己的默认值补全（同一请求发到多个服务器时的情形）。相同数值：每个引擎都拿到所选引擎实际使用的数值，因此差别只来自各引擎的顺序与边界处理。</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>原始</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Entropy</source>
        <translation>熵</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Chain, in order</source>
        <translation>采样链（按顺序）</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Compare:</source>
        <translation>比较：</translation>
    </message>
    <message>
        <source>Every engine keeps the same {0} tokens.</source>
        <translation>每个引擎都保留相同的 {0} 个词元。</translation>
    </message>
    <message>
        <source>{0}: {1} tokens</source>
        <translation>{0}：{1} 个词元</translation>
    </message>
    <message>
        <source>&lt;b&gt;The kept sets differ&lt;/b&gt; — {0}.</source>
        <translation>&lt;b&gt;保留集合不同&lt;/b&gt;——{0}。</translation>
    </message>
    <message>
        <source>Kept by some engines only: {0}.</source>
        <translation>仅部分引擎保留：{0}。</translation>
    </message>
    <message>
        <source>Refused by {0}.</source>
        <translation>被 {0} 拒绝。</translation>
    </message>
    <message>
        <source>refused: {0}</source>
        <translation>拒绝：{0}</translation>
    </message>
    <message>
        <source>{0:.3f} bits</source>
        <translation>{0:.3f} 比特</translation>
    </message>
    <message>
        <source>nothing: the raw distribution</source>
        <translation>无：即原始分布</translation>
    </message>
</context>
<context>
    <name>ComparePanel</name>
    <message>
        <source>A built-in model to compare with the plan&apos;s model.</source>
        <translation>用来与方案模型对比的内置模型。</translation>
    </message>
    <message>
        <source>&amp;Pin</source>
        <translation>固定(&amp;P)</translation>
    </message>
    <message>
        <source>Compare the plan&apos;s model with the model chosen on the left.</source>
        <translation>将方案模型与左侧选中的模型对比。</translation>
    </message>
    <message>
        <source>Pin the &amp;current model</source>
        <translation>固定当前模型(&amp;C)</translation>
    </message>
    <message>
        <source>Keep the model as it is now for comparison, then edit the fields and watch the difference.</source>
        <translation>保留模型当前的样子用于对比，然后编辑字段并观察差别。</translation>
    </message>
    <message>
        <source>&amp;Unpin</source>
        <translation>取消固定(&amp;U)</translation>
    </message>
    <message>
        <source>Stop comparing.</source>
        <translation>停止对比。</translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation>对比对象：</translation>
    </message>
    <message>
        <source>No model is pinned: choose one above, or pin the current model before editing it to see what your edits change.</source>
        <translation>尚未固定对比模型：在上方选择一个，或在编辑前固定当前模型，以查看编辑带来的变化。</translation>
    </message>
    <message>
        <source>{0} (plan) beside {1} (pinned).</source>
        <translation>{0}（方案）与 {1}（固定）并排对比。</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Pinned ÷ plan</source>
        <translation>固定 ÷ 方案</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>对比</translation>
    </message>
</context>
<context>
    <name>Components</name>
    <message>
        <source>Embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>Experts (MoE)</source>
        <translation>专家（MoE）</translation>
    </message>
    <message>
        <source>Norms</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>Output head</source>
        <translation>输出头</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>Computation</name>
    <message>
        <source>Internal error: {0} (reported)</source>
        <translation>内部错误：{0}（已报告）</translation>
    </message>
</context>
<context>
    <name>ContextSlider</name>
    <message>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <source>Tokens of context per sequence (prompt plus generated text). The slider steps through powers of two and halfway points up to the model&apos;s maximum; type any value in the box.</source>
        <translation>每个序列的上下文 token 数（提示词加生成的文本）。滑块按 2 的幂及其中间点取值，直到模型的最大值；也可以在框中输入任意值。</translation>
    </message>
    <message>
        <source>of {0}</source>
        <translation>/ {0}</translation>
    </message>
</context>
<context>
    <name>DistributionPanel</name>
    <message>
        <source>Distribution</source>
        <extracomment>An example list: logits with a three-way tie, to see how each engine&apos;s top-k cuts through a tie.</extracomment>
        <translation>分布</translation>
    </message>
    <message>
        <source>Synthetic (Zipf-like)</source>
        <translation>合成（类 Zipf）</translation>
    </message>
    <message>
        <source>Typed list</source>
        <translation>手动列表</translation>
    </message>
    <message>
        <source>From a running engine</source>
        <translation>来自运行中的引擎</translation>
    </message>
    <message>
        <source>Synthetic: a Zipf-Mandelbrot distribution with readable pseudo-tokens. Typed: your own &apos;token: value&apos; list. From a running engine: the real next-token probabilities after a prompt, from llama-server, an OpenAI-compatible server (vLLM, LM Studio …) or Ollama on your machine.</source>
        <translation>合成：带可读伪词元的 Zipf–Mandelbrot 分布。手动列表：你自己的“词元: 数值”列表。来自运行中的引擎：本机上的 llama-server、OpenAI 兼容服务器（vLLM、LM Studio……）或 Ollama 在给定提示后给出的真实下一词元概率。</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>How many tokens the vocabulary has (2 to 262,144). It starts at the plan&apos;s model&apos;s vocabulary.</source>
        <translation>词表中的词元数（2 到 262,144）。初始值为计划中模型的词表大小。</translation>
    </message>
    <message>
        <source>The probability of the most likely token: high when the model is sure of the next token, low when many continuations fit. In percent.</source>
        <translation>最可能词元的概率：模型对下一个词元很确定时高，很多续写都合适时低。单位为百分比。</translation>
    </message>
    <message>
        <source>How fast the tail falls off: p(rank r) ∝ (r + q)^−s (Zipf–Mandelbrot). About 1 for natural text; larger values give a shorter tail. No unit.</source>
        <translation>尾部衰减的快慢：p(名次 r) ∝ (r + q)^−s（Zipf–Mandelbrot）。自然文本约为 1；数值越大尾部越短。无单位。</translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation>词表：</translation>
    </message>
    <message>
        <source>Top token:</source>
        <translation>最高词元：</translation>
    </message>
    <message>
        <source>Tail exponent:</source>
        <translation>尾部指数：</translation>
    </message>
    <message>
        <source>Type or paste &apos;token: value&apos; lines (logits or probabilities) on the Token list page.</source>
        <translation>在“词元列表”页输入或粘贴“词元: 数值”行（logit 或概率）。</translation>
    </message>
    <message>
        <source>Edit the list</source>
        <translation>编辑列表</translation>
    </message>
    <message>
        <source>llama-server (/completion)</source>
        <translation>llama-server（/completion）</translation>
    </message>
    <message>
        <source>OpenAI-compatible (/v1/completions)</source>
        <translation>OpenAI 兼容（/v1/completions）</translation>
    </message>
    <message>
        <source>OpenAI-compatible chat (/v1/chat/completions)</source>
        <translation>OpenAI 兼容对话（/v1/chat/completions）</translation>
    </message>
    <message>
        <source>Ollama (/api/generate)</source>
        <translation>Ollama（/api/generate）</translation>
    </message>
    <message>
        <source>Which API the server speaks. vLLM, LM Studio and llama-server all answer the OpenAI-compatible ones; Ollama needs 0.12.11 or newer for log-probabilities.</source>
        <translation>服务器使用哪种 API。vLLM、LM Studio 和 llama-server 都支持 OpenAI 兼容接口；Ollama 需要 0.12.11 或更新版本才能返回对数概率。</translation>
    </message>
    <message>
        <source>The server&apos;s address, e.g. http://127.0.0.1:8080 (the API&apos;s usual path is added when none is given).</source>
        <translation>服务器地址，例如 http://127.0.0.1:8080（未给出路径时自动加上该 API 的常用路径）。</translation>
    </message>
    <message>
        <source>needed by vLLM and Ollama</source>
        <translation>vLLM 和 Ollama 需要</translation>
    </message>
    <message>
        <source>The model name the server knows (as &apos;ollama list&apos; shows it); llama-server ignores it.</source>
        <translation>服务器认识的模型名（如 &apos;ollama list&apos; 所示）；llama-server 会忽略它。</translation>
    </message>
    <message>
        <source>The text before the token to predict.</source>
        <translation>要预测的词元之前的文本。</translation>
    </message>
    <message>
        <source>How many of the most likely next tokens to ask for (Ollama gives at most 20). The probability of the rest is shown as &apos;unlisted&apos;.</source>
        <translation>请求多少个最可能的下一词元（Ollama 最多给 20 个）。其余词元的概率显示为“未列出”。</translation>
    </message>
    <message>
        <source>&amp;Fetch</source>
        <translation>获取(&amp;F)</translation>
    </message>
    <message>
        <source>Ask the server for one token with neutral sampling (temperature 1, nothing cut) and its alternatives; gives up after {0:g} s.</source>
        <translation>以中性采样（温度 1、不做截断）向服务器请求一个词元及其候选；{0:g} 秒后放弃。</translation>
    </message>
    <message>
        <source>API:</source>
        <translation>API：</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>提示：</translation>
    </message>
    <message>
        <source>Alternatives:</source>
        <translation>候选数：</translation>
    </message>
</context>
<context>
    <name>DrawPage</name>
    <message>
        <source>How many tokens to draw, each independently from the final distribution (Mirostat moves its threshold after each draw).</source>
        <translation>抽取多少个词元，每次都独立地从最终分布中抽取（Mirostat 每抽一次会移动它的阈值）。</translation>
    </message>
    <message>
        <source>The same seed draws the same tokens here. Engines use their own random generators, so a seed there picks other tokens.</source>
        <translation>在这里同一个种子抽出相同的词元。各引擎使用自己的随机数生成器，所以同一种子在引擎里会抽出别的词元。</translation>
    </message>
    <message>
        <source>&amp;Draw</source>
        <translation>抽取(&amp;D)</translation>
    </message>
    <message>
        <source>share of the draws</source>
        <translation>抽取占比</translation>
    </message>
    <message>
        <source>final probability</source>
        <translation>最终概率</translation>
    </message>
    <message>
        <source>Tokens:</source>
        <translation>词元数：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>Drew {0} tokens with seed {1}: {2} different tokens. The largest gap between a token&apos;s share of the draws and its probability is {3} (it shrinks like 1/√N).</source>
        <translation>用种子 {1} 抽取了 {0} 个词元：共 {2} 种不同词元。词元抽取占比与其概率的最大差距为 {3}（按 1/√N 缩小）。</translation>
    </message>
    <message>
        <source> … ({0} more)</source>
        <translation> ……（另有 {0} 个）</translation>
    </message>
    <message>
        <source>First draws: {0}{1}</source>
        <translation>前几次抽取：{0}{1}</translation>
    </message>
    <message>
        <source>The engine itself chose {0} (with its own sampler and random seed).</source>
        <translation>引擎自己选择了 {0}（用它自己的采样器和随机种子）。</translation>
    </message>
    <message>
        <source>Press Draw to sample tokens from the final distribution.</source>
        <translation>按“抽取”从最终分布中抽样词元。</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>llmplanner: unexpected error</source>
        <translation>llmplanner：意外错误</translation>
    </message>
    <message>
        <source>&amp;Copy report</source>
        <translation>复制报告(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the whole report to the clipboard, to paste into a bug report.</source>
        <translation>把完整报告复制到剪贴板，以便粘贴到问题报告中。</translation>
    </message>
    <message>
        <source>Something went wrong inside llmplanner ({0}). The app keeps running and your plan is safe (unsaved changes are autosaved). The details were written to {1}; please include them if you report the problem.</source>
        <translation>llmplanner 内部出现了问题（{0}）。程序会继续运行，你的方案是安全的（未保存的更改已自动保存）。详细信息已写入 {1}；报告问题时请附上。</translation>
    </message>
    <message>
        <source>llmplanner: {0} unexpected errors</source>
        <translation>llmplanner：{0} 个意外错误</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Model: {0} ({1})</source>
        <translation>模型：{0}（{1}）</translation>
    </message>
    <message>
        <source>Runtime: {0}; weights {1}; KV cache {2}</source>
        <translation>运行时：{0}；权重 {1}；KV 缓存 {2}</translation>
    </message>
    <message>
        <source>Context: {0:,} tokens; batch {1}; mode {2}</source>
        <translation>上下文：{0:,} 个 token；批大小 {1}；模式 {2}</translation>
    </message>
    <message>
        <source>Compared with: {0}</source>
        <translation>对比对象：{0}</translation>
    </message>
    <message>
        <source>Generated by llmplanner {0} on {1}.</source>
        <translation>由 llmplanner {0} 于 {1} 生成。</translation>
    </message>
</context>
<context>
    <name>FieldMessage</name>
    <message>
        <source>Input error</source>
        <translation>输入错误</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>{0} trillion</source>
        <translation>{0} 万亿</translation>
    </message>
    <message>
        <source>{0} billion</source>
        <translation>{0} 十亿</translation>
    </message>
    <message>
        <source>{0} million</source>
        <translation>{0} 百万</translation>
    </message>
    <message>
        <source>{0} thousand</source>
        <translation>{0} 千</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} 个 token</translation>
    </message>
</context>
<context>
    <name>FormatTableModel</name>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Bits per
weight</source>
        <translation>每权重
位数</translation>
    </message>
    <message>
        <source>Weights
(GiB)</source>
        <translation>权重
(GiB)</translation>
    </message>
    <message>
        <source>KV cache
(GiB)</source>
        <translation>KV 缓存
(GiB)</translation>
    </message>
    <message>
        <source>Activations
(GiB)</source>
        <translation>激活
(GiB)</translation>
    </message>
    <message>
        <source>Overhead
(GiB)</source>
        <translation>额外开销
(GiB)</translation>
    </message>
    <message>
        <source>Total
(GiB)</source>
        <translation>合计
(GiB)</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>能否放下</translation>
    </message>
    <message>
        <source>ΔPPL</source>
        <translation>ΔPPL</translation>
    </message>
    <message>
        <source>KLD</source>
        <translation>KLD</translation>
    </message>
    <message>
        <source>Quality
measured on</source>
        <translation>质量数据
测自</translation>
    </message>
    <message>
        <source>The weight format; the plan&apos;s is in bold.</source>
        <translation>权重格式；方案所用的格式以粗体显示。</translation>
    </message>
    <message>
        <source>Weight bytes × 8 ÷ parameters for this model: scales and tensors kept in higher precision included.</source>
        <translation>此模型的权重字节数 × 8 ÷ 参数量：含缩放因子和以更高精度保留的张量。</translation>
    </message>
    <message>
        <source>The model&apos;s weights in this format.</source>
        <translation>此格式下模型权重的大小。</translation>
    </message>
    <message>
        <source>Keys and values of every token of context, for every sequence of the batch.</source>
        <translation>上下文中每个 token的键和值，批次中的每个序列各一份。</translation>
    </message>
    <message>
        <source>Work buffers of one forward pass (the runtime&apos;s compute buffers).</source>
        <translation>一次前向计算的工作缓冲区（运行时的计算缓冲区）。</translation>
    </message>
    <message>
        <source>What the runtime keeps besides (CUDA context, output buffers).</source>
        <translation>运行时另外占用的内存（CUDA 上下文、输出缓冲区）。</translation>
    </message>
    <message>
        <source>The sum of the four.</source>
        <translation>以上四项之和。</translation>
    </message>
    <message>
        <source>Whether it fits the plan&apos;s hardware (with the runtime&apos;s reserve).</source>
        <translation>能否放进方案所选的硬件（已计入运行时的预留）。</translation>
    </message>
    <message>
        <source>Published perplexity increase against the baseline (16-bit weights): lower is better.</source>
        <translation>已发表的相对基准（16 位权重）的困惑度增量：越低越好。</translation>
    </message>
    <message>
        <source>Published mean KL divergence of the next-token distribution from the baseline&apos;s (nats).</source>
        <translation>已发表的下一个 token 的分布相对基准分布的平均 KL 散度（nats）。</translation>
    </message>
    <message>
        <source>The model and baseline the quality figure was measured on (costs transfer only roughly).</source>
        <translation>质量数据所测的模型和基准（换到其他模型只能粗略参考）。</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>{0} (vs {1})</source>
        <translation>{0}（对比 {1}）</translation>
    </message>
</context>
<context>
    <name>HardwareTab</name>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Long context</source>
        <translation>长上下文</translation>
    </message>
    <message>
        <source>Multimodal</source>
        <translation>多模态</translation>
    </message>
    <message>
        <source>MoE</source>
        <translation>MoE</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>小模型</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <source>Reading speed: Brysbaert 2019, How many words do we read per minute? (Journal of Memory and Language 109, 104047): 238 words/min; OpenAI: a token is about 3/4 of an English word.</source>
        <translation>阅读速度：Brysbaert 2019，How many words do we read per minute?（Journal of Memory and Language 109, 104047）：每分钟 238 个词；OpenAI：一个 token 约为 3/4 个英文单词。</translation>
    </message>
    <message>
        <source>4-bit weights as the sweet spot: Dettmers &amp; Zettlemoyer 2023, The case for 4-bit precision: k-bit Inference Scaling Laws (arXiv:2212.09720).</source>
        <translation>4 位权重是最佳平衡点：Dettmers &amp; Zettlemoyer 2023，The case for 4-bit precision: k-bit Inference Scaling Laws（arXiv:2212.09720）。</translation>
    </message>
    <message>
        <source>Multi-GPU layouts: vLLM ModelConfig.verify_with_parallel_config (heads divisible by the tensor-parallel size), llama.cpp tools/rpc/README.md.</source>
        <translation>多 GPU 布局：vLLM ModelConfig.verify_with_parallel_config（注意力头数须能被张量并行大小整除），llama.cpp tools/rpc/README.md。</translation>
    </message>
    <message>
        <source>Commands: llama.cpp tools/server/README.md and common/arg.cpp, Ollama docs/modelfile.md and docs/faq.md, vLLM engine arguments, transformers quantization/bitsandbytes.</source>
        <translation>命令：llama.cpp tools/server/README.md 与 common/arg.cpp，Ollama docs/modelfile.md 与 docs/faq.md，vLLM 引擎参数，transformers quantization/bitsandbytes。</translation>
    </message>
    <message>
        <source>Detecting this machine…</source>
        <translation>正在检测本机…</translation>
    </message>
    <message>
        <source>Recommending formats…</source>
        <translation>正在推荐格式…</translation>
    </message>
    <message>
        <source>Ranking what fits…</source>
        <translation>正在排列可运行的模型…</translation>
    </message>
    <message>
        <source>Checking the tiers&apos; advice…</source>
        <translation>正在核对各档位的建议…</translation>
    </message>
    <message>
        <source>Searching layouts and hardware…</source>
        <translation>正在搜索布局与硬件…</translation>
    </message>
    <message>
        <source>The runtime whose memory and speed are estimated: llama.cpp and Ollama load GGUF files, vLLM and transformers Hugging Face checkpoints.</source>
        <translation>估算内存与速度所用的运行时：llama.cpp 和 Ollama 加载 GGUF 文件，vLLM 和 transformers 加载 Hugging Face 检查点。</translation>
    </message>
    <message>
        <source>R&amp;untime:</source>
        <translation>运行时(&amp;U)：</translation>
    </message>
    <message>
        <source>Conte&amp;xt:</source>
        <translation>上下文(&amp;X)：</translation>
    </message>
    <message>
        <source>Waiting for this machine…</source>
        <translation>正在等待本机检测结果…</translation>
    </message>
    <message>
        <source>&amp;Use this format in the plan</source>
        <translation>在方案中使用此格式(&amp;U)</translation>
    </message>
    <message>
        <source>Make the selected format the plan&apos;s weight format (the other tabs follow).</source>
        <translation>将所选格式设为方案的权重格式（其他标签页随之更新）。</translation>
    </message>
    <message>
        <source>&amp;Formats</source>
        <translation>格式(&amp;F)</translation>
    </message>
    <message>
        <source>Co&amp;mmands</source>
        <translation>命令(&amp;M)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Built-in presets that can hold the context.</source>
        <translation>能容纳该上下文的内置预设。</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Total parameters (billions).</source>
        <translation>总参数量（十亿）。</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>The best format for this machine (as on the Formats page).</source>
        <translation>本机的最佳格式（与“格式”页相同）。</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>GiB, everything the runtime allocates.</source>
        <translation>GiB，运行时分配的全部内存。</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>Generated tokens per second.</source>
        <translation>每秒生成的 token 数。</translation>
    </message>
    <message>
        <source>Uses</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>The preset&apos;s tags.</source>
        <translation>预设的标签。</translation>
    </message>
    <message>
        <source>Only for:</source>
        <translation>仅显示：</translation>
    </message>
    <message>
        <source>Show only presets tagged &apos;{0}&apos; (several boxes: any of them).</source>
        <translation>只显示标签为“{0}”的预设（勾选多个时满足任一即可）。</translation>
    </message>
    <message>
        <source>What &amp;fits</source>
        <translation>能运行什么(&amp;F)</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>量</translation>
    </message>
    <message>
        <source>This machine</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>What if</source>
        <translation>假设机器</translation>
    </message>
    <message>
        <source>Com&amp;pare</source>
        <translation>比较(&amp;P)</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>By usable accelerator memory; see the rule on the left.</source>
        <translation>按可用加速器内存划分；规则见左侧。</translation>
    </message>
    <message>
        <source>Common advice</source>
        <translation>常见建议</translation>
    </message>
    <message>
        <source>Advice checked</source>
        <translation>建议核对</translation>
    </message>
    <message>
        <source>The advised model on the tier&apos;s smallest machine (from the catalogue), at the plan&apos;s runtime and context, at 4 bits.</source>
        <translation>在该档位最小的机器（取自目录）上，按方案的运行时和上下文、以 4 位权重运行建议的模型。</translation>
    </message>
    <message>
        <source>Largest at 4 bits</source>
        <translation>4 位下最大的模型</translation>
    </message>
    <message>
        <source>The largest preset that meets the tier&apos;s test on its smallest → largest machine.</source>
        <translation>在该档位最小 → 最大的机器上满足该档位检验的最大预设。</translation>
    </message>
    <message>
        <source>Our numbers</source>
        <translation>我们的数字</translation>
    </message>
    <message>
        <source>&amp;Tiers</source>
        <translation>档位(&amp;T)</translation>
    </message>
    <message>
        <source> tokens/s</source>
        <translation> token/秒</translation>
    </message>
    <message>
        <source>Decode speed to reach (generated tokens per second).</source>
        <translation>要达到的解码速度（每秒生成的 token 数）。</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>What the plan can use: GPU memory, the Apple GPU&apos;s share, or RAM (GiB).</source>
        <translation>方案可用的内存：GPU 显存、Apple GPU 可用份额或系统内存（GiB）。</translation>
    </message>
    <message>
        <source>Prefill</source>
        <translation>预填充</translation>
    </message>
    <message>
        <source>When one GPU is not enough</source>
        <translation>一块 GPU 不够时</translation>
    </message>
    <message>
        <source>Smallest hardware for a decode speed</source>
        <translation>达到某解码速度所需的最小硬件</translation>
    </message>
    <message>
        <source>&amp;At least:</source>
        <translation>至少(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Scale out</source>
        <translation>扩展(&amp;S)</translation>
    </message>
    <message>
        <source>Chec&amp;k</source>
        <translation>检验(&amp;K)</translation>
    </message>
    <message>
        <source>Recommending formats for {0}…</source>
        <translation>正在为 {0} 推荐格式…</translation>
    </message>
    <message>
        <source>Detection failed: {0}</source>
        <translation>检测失败：{0}</translation>
    </message>
    <message>
        <source>Copied the {0} command to the clipboard</source>
        <translation>已将 {0} 命令复制到剪贴板</translation>
    </message>
    <message>
        <source>{0} on {1} — {2}, {3}</source>
        <translation>{0} 运行于 {1} — {2}，{3}</translation>
    </message>
    <message>
        <source>Best: {0}</source>
        <translation>最佳：{0}</translation>
    </message>
    <message>
        <source>Nothing fits this machine at {0}: see Scale out for a layout that does.</source>
        <translation>在 {0} 下本机放不下任何格式：请在“扩展”页查看可行的布局。</translation>
    </message>
    <message>
        <source>Also: {0}</source>
        <translation>另外：{0}</translation>
    </message>
    <message>
        <source>★ best choice. Speeds: decode averaged over 128 tokens after a 512-token prompt. Reading speed: {0} tokens/s. Notes on the machine: left.</source>
        <translation>★ 最佳选择。速度：在 512 个 token 的提示之后，对 128 个解码 token 取平均。阅读速度：每秒 {0} 个 token。机器说明：见左侧。</translation>
    </message>
    <message>
        <source>Best here: {0}, {1}, {2}</source>
        <translation>此处最佳：{0}，{1}，{2}</translation>
    </message>
    <message>
        <source>Best here: nothing fits</source>
        <translation>此处最佳：没有可运行的格式</translation>
    </message>
    <message>
        <source>Choose a format on the Formats page.</source>
        <translation>请在“格式”页选择一种格式。</translation>
    </message>
    <message>
        <source>{0} on {1}: {2}</source>
        <translation>{0} 运行于 {1}：{2}</translation>
    </message>
    <message>
        <source>(no command: this runtime does not load this format)</source>
        <translation>（无命令：该运行时不加载此格式）</translation>
    </message>
    <message>
        <source>{0} does not run on {1}; on the smallest layout: {2}</source>
        <translation>{0} 无法在 {1} 上运行；在最小布局上：{2}</translation>
    </message>
    <message>
        <source>{0} does not run on {1}: no command (see Scale out).</source>
        <translation>{0} 无法在 {1} 上运行：无命令（见“扩展”页）。</translation>
    </message>
    <message>
        <source>detecting…</source>
        <translation>检测中…</translation>
    </message>
    <message>
        <source>{0} ({1} GB)</source>
        <translation>{0}（{1} GB）</translation>
    </message>
    <message>
        <source>{0} GB/s</source>
        <translation>{0} GB/s</translation>
    </message>
    <message>
        <source>Machine</source>
        <translation>机器</translation>
    </message>
    <message>
        <source>GPUs</source>
        <translation>GPU 数</translation>
    </message>
    <message>
        <source>Memory per GPU</source>
        <translation>每块 GPU 的显存</translation>
    </message>
    <message>
        <source>RAM</source>
        <translation>系统内存</translation>
    </message>
    <message>
        <source>Memory bandwidth</source>
        <translation>内存带宽</translation>
    </message>
    <message>
        <source>Best format</source>
        <translation>最佳格式</translation>
    </message>
    <message>
        <source>none fits</source>
        <translation>都放不下</translation>
    </message>
    <message>
        <source>Its verdict</source>
        <translation>其结论</translation>
    </message>
    <message>
        <source>Its decode</source>
        <translation>其解码速度</translation>
    </message>
    <message>
        <source>Its prefill</source>
        <translation>其预填充速度</translation>
    </message>
    <message>
        <source>Its longest context</source>
        <translation>其最长上下文</translation>
    </message>
    <message>
        <source>Plan&apos;s format ({0})</source>
        <translation>方案格式（{0}）</translation>
    </message>
    <message>
        <source>Plan&apos;s format: decode</source>
        <translation>方案格式：解码速度</translation>
    </message>
    <message>
        <source>shorter maximum context</source>
        <translation>最大上下文较短</translation>
    </message>
    <message>
        <source>not text generators</source>
        <translation>不是文本生成模型</translation>
    </message>
    <message>
        <source>fit in no format</source>
        <translation>任何格式都放不下</translation>
    </message>
    <message>
        <source>{0} presets at {1}, best placement first, then larger models. Left out — {2}.</source>
        <translation>{1} 下共 {0} 个预设，放置方式最优者在前，其次模型较大者在前。未列出 — {2}。</translation>
    </message>
    <message>
        <source>{0} ({1} B): {2}, {3}</source>
        <translation>{0}（{1} B）：{2}，{3}</translation>
    </message>
    <message>
        <source>agree</source>
        <translation>一致</translation>
    </message>
    <message>
        <source>allow more</source>
        <translation>可以更大</translation>
    </message>
    <message>
        <source>disagree</source>
        <translation>不一致</translation>
    </message>
    <message>
        <source>Smallest machine: {0}
Largest machine: {1}</source>
        <translation>最小的机器：{0}
最大的机器：{1}</translation>
    </message>
    <message>
        <source>Neither machine has a catalogue GPU to stack: choose one under &apos;What if&apos;.</source>
        <translation>两台机器都没有目录中的 GPU 可供叠加：请在“假设机器”中选择一块。</translation>
    </message>
    <message>
        <source>No layout of {0} holds {1}: {2}</source>
        <translation>{0} 的任何布局都放不下 {1}：{2}</translation>
    </message>
    <message>
        <source>One {0} holds {1} at {2}: {3} of its {4}; decode {5}.</source>
        <translation>一块 {0} 即可在 {2} 下容纳 {1}：占用其 {4} 中的 {3}；解码 {5}。</translation>
    </message>
    <message>
        <source>{0} × {1}</source>
        <translation>{0} × {1}</translation>
    </message>
    <message>
        <source>{0} over {1} nodes</source>
        <translation>{0}，分布在 {1} 个节点上</translation>
    </message>
    <message>
        <source>{0} hold {1} at {2}: {3}. Per GPU {4} of {5}; decode {6}.</source>
        <translation>{0} 可在 {2} 下容纳 {1}：{3}。每块 GPU 占用 {5} 中的 {4}；解码 {6}。</translation>
    </message>
    <message>
        <source>No single catalogue device reaches {0} with {1}</source>
        <translation>目录中没有任何单个设备能以 {1} 达到 {0}</translation>
    </message>
    <message>
        <source>Machine: {0}; tier {1} ({2})</source>
        <translation>机器：{0}；档位 {1}（{2}）</translation>
    </message>
    <message>
        <source>Formats on this machine</source>
        <translation>本机上的各格式</translation>
    </message>
    <message>
        <source>What fits</source>
        <translation>能运行什么</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>{0} tokens/s</source>
        <translation>{0} token/秒</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} 个 token</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>fits on the GPU with headroom</source>
        <translation>可放入 GPU，有余量</translation>
    </message>
    <message>
        <source>fits on the GPU, tight</source>
        <translation>可放入 GPU，偏紧</translation>
    </message>
    <message>
        <source>partial offload: {0} of {1} layers on the GPU</source>
        <translation>部分卸载：{1} 层中有 {0} 层在 GPU 上</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>仅 CPU</translation>
    </message>
    <message>
        <source>does not fit</source>
        <translation>放不下</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>基准</translation>
    </message>
    <message>
        <source>16/32-bit weights: the reference the other formats&apos; costs are measured against.</source>
        <translation>16/32 位权重：其他格式的质量损失均以它为基准测量。</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>No published perplexity figure for this format; it is ranked as no better than the worst measured format with at least as many bits.</source>
        <translation>此格式没有公开的困惑度数据；排名时视其不优于位数不少于它的已测格式中最差的一个。</translation>
    </message>
    <message>
        <source>+{0}% PPL</source>
        <translation>+{0}% PPL</translation>
    </message>
    <message>
        <source>Perplexity {0:+.4f} against 16-bit weights ({1} relative), KL divergence {2}, measured on {3}. Source: {4}</source>
        <translation>相对 16 位权重的困惑度变化 {0:+.4f}（相对变化 {1}），KL 散度 {2}，在 {3} 上测得。来源：{4}</translation>
    </message>
    <message>
        <source>Decode averaged over 128 tokens after a 512-token prompt, prefill over the prompt (as llama-bench -p 512 -n 128 measures).</source>
        <translation>解码速度为 512 个 token 的提示之后 128 个 token 的平均值，预填充速度为整个提示的平均值（与 llama-bench -p 512 -n 128 的测法相同）。</translation>
    </message>
    <message>
        <source>Weights {0}; on the busiest GPU {1}; on the CPU {2}.</source>
        <translation>权重 {0}；占用最多的 GPU 上 {1}；CPU 上 {2}。</translation>
    </message>
    <message>
        <source>; {0} of the GPU left free</source>
        <translation>；GPU 剩余 {0}</translation>
    </message>
    <message>
        <source>The longest context (tokens per sequence) at which this format still runs on the GPU.</source>
        <translation>此格式仍能在 GPU 上运行的最长上下文（每个序列的 token 数）。</translation>
    </message>
    <message>
        <source>The longest context (tokens per sequence) at which this format runs at all.</source>
        <translation>此格式还能运行的最长上下文（每个序列的 token 数）。</translation>
    </message>
    <message>
        <source>Slower than reading speed ({0} tokens/s).</source>
        <translation>慢于阅读速度（每秒 {0} 个 token）。</translation>
    </message>
    <message>
        <source>Weight format, best quality first.</source>
        <translation>权重格式，质量最好的在前。</translation>
    </message>
    <message>
        <source>On the GPU with at least 10% of it free (headroom), tight, partial offload (N of L layers on the GPU, the rest on the CPU), CPU only, or does not fit.</source>
        <translation>全部放在 GPU 上且至少剩余 10%（有余量）、偏紧、部分卸载（L 层中有 N 层在 GPU 上，其余在 CPU 上）、仅 CPU，或放不下。</translation>
    </message>
    <message>
        <source>Everything the runtime allocates: weights, KV cache, compute buffers, overhead (GiB).</source>
        <translation>运行时分配的全部内存：权重、KV 缓存、计算缓冲区和开销（GiB）。</translation>
    </message>
    <message>
        <source>Longest context</source>
        <translation>最长上下文</translation>
    </message>
    <message>
        <source>Tokens per sequence the memory allows while the verdict stays the same.</source>
        <translation>在结论不变的前提下，内存所允许的每个序列的 token 数。</translation>
    </message>
    <message>
        <source>Prompt tokens processed per second.</source>
        <translation>每秒处理的提示 token 数。</translation>
    </message>
    <message>
        <source>Quality cost</source>
        <translation>质量损失</translation>
    </message>
    <message>
        <source>Published perplexity increase against 16-bit weights (lower is better).</source>
        <translation>相对 16 位权重的公开困惑度增幅（越低越好）。</translation>
    </message>
</context>
<context>
    <name>LayerTable</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>Norms</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Layer kind</source>
        <translation>层类型</translation>
    </message>
    <message>
        <source>sparse (experts)</source>
        <translation>稀疏（专家）</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>稠密</translation>
    </message>
    <message>
        <source>sliding window {0}</source>
        <translation>滑动窗口 {0}</translation>
    </message>
    <message>
        <source>full attention</source>
        <translation>全注意力</translation>
    </message>
    <message>
        <source>Parameters in each transformer block (embeddings and the output head are outside the blocks).</source>
        <translation>每个 Transformer 块中的参数（嵌入和输出头不在块内）。</translation>
    </message>
</context>
<context>
    <name>MachinePanel</name>
    <message>
        <source>This machine</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Plan for this &amp;machine</source>
        <translation>为本机规划(&amp;M)</translation>
    </message>
    <message>
        <source>Recommend for the machine this app runs on, as detected.</source>
        <translation>按检测结果，为运行本程序的机器给出建议。</translation>
    </message>
    <message>
        <source>Detecting GPUs (NVML, torch in a child process, Apple), RAM and CPU…</source>
        <translation>正在检测 GPU（NVML、子进程中的 torch、Apple）、内存和 CPU…</translation>
    </message>
    <message>
        <source>Detecting this machine…</source>
        <translation>正在检测本机…</translation>
    </message>
    <message>
        <source>&amp;Detect again</source>
        <translation>重新检测(&amp;D)</translation>
    </message>
    <message>
        <source>Detect this machine&apos;s GPUs, RAM and CPU again (after plugging in a GPU or closing programs that held GPU memory).</source>
        <translation>重新检测本机的 GPU、内存和 CPU（在插入 GPU 或关闭占用显存的程序之后）。</translation>
    </message>
    <message>
        <source>What detection found out, and what was assumed where it could not.</source>
        <translation>检测得到的信息，以及无法检测时所作的假设。</translation>
    </message>
    <message>
        <source>What if…</source>
        <translation>假设…</translation>
    </message>
    <message>
        <source>Plan for the machine &amp;below</source>
        <translation>为下面的机器规划(&amp;B)</translation>
    </message>
    <message>
        <source>Recommend for the GPUs and RAM chosen below (&quot;what if I buy…&quot;).</source>
        <translation>为下面选择的 GPU 和内存给出建议（“如果我买…”）。</translation>
    </message>
    <message>
        <source>None (CPU only)</source>
        <translation>无（仅 CPU）</translation>
    </message>
    <message>
        <source>A GPU or Apple chip from the hardware catalogue (memory, bandwidth and FLOP/s from the vendor&apos;s spec sheet).</source>
        <translation>硬件目录中的 GPU 或 Apple 芯片（显存、带宽和 FLOP/s 取自厂商规格表）。</translation>
    </message>
    <message>
        <source>How many of that GPU in the machine (layers or tensors are split over them).</source>
        <translation>机器中该 GPU 的数量（层或张量会在它们之间切分）。</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>System RAM in GiB (2³⁰ bytes); for an Apple chip, its unified memory.</source>
        <translation>系统内存，单位 GiB（2³⁰ 字节）；对 Apple 芯片为其统一内存。</translation>
    </message>
    <message>
        <source>The CPU and memory system that runs layers left on the CPU (and every layer of a CPU-only machine): its bandwidth in GB/s sets their speed. Also used for this machine, whose memory speed cannot be detected.</source>
        <translation>运行留在 CPU 上的层（以及纯 CPU 机器上所有层）的 CPU 与内存系统：其带宽（GB/s）决定这些层的速度。也用于本机，因为本机的内存速度无法检测。</translation>
    </message>
    <message>
        <source>&amp;GPU:</source>
        <translation>GPU(&amp;G)：</translation>
    </message>
    <message>
        <source>C&amp;ount:</source>
        <translation>数量(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;RAM:</source>
        <translation>内存(&amp;R)：</translation>
    </message>
    <message>
        <source>C&amp;PU:</source>
        <translation>CPU(&amp;P)：</translation>
    </message>
    <message>
        <source>Tier: {0}</source>
        <translation>档位：{0}</translation>
    </message>
    <message>
        <source>Decided on {0} GB ({1}) of accelerator memory: {2}</source>
        <translation>依据 {0} GB（{1}）加速器内存判定：{2}</translation>
    </message>
    <message>
        <source>No accelerator with known memory: models run on the CPU from RAM (0 GB of accelerator memory).</source>
        <translation>没有已知显存的加速器：模型在 CPU 上、从系统内存运行（加速器内存 0 GB）。</translation>
    </message>
    <message>
        <source>Rule: {0}</source>
        <translation>规则：{0}</translation>
    </message>
    <message>
        <source>vector extensions unknown</source>
        <translation>向量扩展未知</translation>
    </message>
    <message>
        <source>RAM: {0} total, {1} available</source>
        <translation>内存：共 {0}，可用 {1}</translation>
    </message>
    <message>
        <source>CPU: {0}, {1} cores ({2})</source>
        <translation>CPU：{0}，{1} 核（{2}）</translation>
    </message>
    <message>
        <source>torch: {0} ({1})</source>
        <translation>torch：{0}（{1}）</translation>
    </message>
    <message>
        <source>Notes ({0})</source>
        <translation>说明（{0}）</translation>
    </message>
    <message>
        <source>Detection layers: {0}</source>
        <translation>检测层：{0}</translation>
    </message>
    <message>
        <source>GPUs: none detected</source>
        <translation>GPU：未检测到</translation>
    </message>
    <message>
        <source>{0} total, {1} free</source>
        <translation>共 {0}，空闲 {1}</translation>
    </message>
    <message>
        <source>{0} unified, {1} usable by the GPU</source>
        <translation>统一内存 {0}，GPU 可用 {1}</translation>
    </message>
    <message>
        <source>catalogue: {0}, {1} GB/s, {2} TFLOP/s FP16</source>
        <translation>目录：{0}，{1} GB/s，FP16 {2} TFLOP/s</translation>
    </message>
    <message>
        <source>not in the catalogue: memory only (no speeds)</source>
        <translation>不在目录中：仅有显存（无速度）</translation>
    </message>
    <message>
        <source>; {0} GB/s, {1} TFLOP/s FP16</source>
        <translation>；{0} GB/s，FP16 {1} TFLOP/s</translation>
    </message>
    <message>
        <source>Tier {0} ({1} GB of accelerator memory){2}</source>
        <translation>档位 {0}（加速器内存 {1} GB）{2}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New plan</source>
        <translation>新建方案(&amp;N)</translation>
    </message>
    <message>
        <source>Start again from the default plan.</source>
        <translation>从默认方案重新开始。</translation>
    </message>
    <message>
        <source>&amp;Open plan…</source>
        <translation>打开方案(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a saved .llmplan file.</source>
        <translation>打开已保存的 .llmplan 文件。</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save plan</source>
        <translation>保存方案(&amp;S)</translation>
    </message>
    <message>
        <source>Save the plan to its file.</source>
        <translation>把方案保存到它的文件。</translation>
    </message>
    <message>
        <source>Save plan &amp;as…</source>
        <translation>方案另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the plan to a new file.</source>
        <translation>把方案保存到新文件。</translation>
    </message>
    <message>
        <source>&amp;Export report</source>
        <translation>导出报告(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Markdown…</source>
        <translation>&amp;Markdown…</translation>
    </message>
    <message>
        <source>Everything the tabs show, as a Markdown document.</source>
        <translation>把各标签页显示的全部内容导出为 Markdown 文档。</translation>
    </message>
    <message>
        <source>&amp;CSV…</source>
        <translation>&amp;CSV…</translation>
    </message>
    <message>
        <source>Every table as one CSV file (section, table, row, column, value).</source>
        <translation>所有表格导出为一个 CSV 文件（部分、表、行、列、值）。</translation>
    </message>
    <message>
        <source>Chart &amp;images (PNG)…</source>
        <translation>图表图片(&amp;I)（PNG）…</translation>
    </message>
    <message>
        <source>Each chart as a PNG file in a folder.</source>
        <translation>每个图表保存为文件夹中的一个 PNG 文件。</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Find a &amp;model</source>
        <translation>查找模型(&amp;M)</translation>
    </message>
    <message>
        <source>Jump to the model search box.</source>
        <translation>跳到模型搜索框。</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About llmplanner</source>
        <translation>关于 llmplanner(&amp;A)</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>Where unexpected errors are written.</source>
        <translation>意外错误写入的位置。</translation>
    </message>
    <message>
        <source>not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>{0}[*] — llmplanner</source>
        <translation>{0}[*] — llmplanner</translation>
    </message>
    <message>
        <source>llmplanner plans (*{0});;All files (*)</source>
        <translation>llmplanner 方案 (*{0});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The plan “{0}” has unsaved changes. Save them first?</source>
        <translation>方案“{0}”有未保存的更改。要先保存吗？</translation>
    </message>
    <message>
        <source>Open a plan</source>
        <translation>打开方案</translation>
    </message>
    <message>
        <source>The plan could not be opened: {0}</source>
        <translation>无法打开方案：{0}</translation>
    </message>
    <message>
        <source>The plan was opened, with these changes:</source>
        <translation>方案已打开，但做了以下调整：</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>已打开 {0}</translation>
    </message>
    <message>
        <source>Save the plan</source>
        <translation>保存方案</translation>
    </message>
    <message>
        <source>The plan could not be saved: {0}</source>
        <translation>无法保存方案：{0}</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>The report could not be exported: {0}</source>
        <translation>无法导出报告：{0}</translation>
    </message>
    <message>
        <source>Exported {0}</source>
        <translation>已导出 {0}</translation>
    </message>
    <message>
        <source>Export a Markdown report</source>
        <translation>导出 Markdown 报告</translation>
    </message>
    <message>
        <source>Markdown (*.md);;All files (*)</source>
        <translation>Markdown (*.md);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export the tables as CSV</source>
        <translation>把表格导出为 CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv);;All files (*)</source>
        <translation>CSV (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Folder for the chart images</source>
        <translation>图表图片的文件夹</translation>
    </message>
    <message>
        <source>llmplanner did not close normally. An unsaved plan, “{0}”, was kept from {1}.</source>
        <translation>llmplanner 上次没有正常关闭。已保留一个未保存的方案“{0}”（{1}）。</translation>
    </message>
    <message>
        <source>&amp;Restore it</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Discard it</source>
        <translation>丢弃(&amp;D)</translation>
    </message>
    <message>
        <source>{0} does not exist</source>
        <translation>{0} 不存在</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>Search the built-in models…</source>
        <translation>搜索内置模型…</translation>
    </message>
    <message>
        <source>Type part of a name (e.g. llama, 7b) and pick a built-in model. Ctrl+L jumps here.</source>
        <translation>输入名称的一部分（如 llama、7b）并选择一个内置模型。Ctrl+L 可跳到这里。</translation>
    </message>
    <message>
        <source>&amp;Open model</source>
        <translation>打开模型(&amp;O)</translation>
    </message>
    <message>
        <source>Read a model&apos;s shape from a config.json, a model folder, a GGUF file or a Hugging Face Hub repo. Only headers are read, never weights.</source>
        <translation>从 config.json、模型文件夹、GGUF 文件或 Hugging Face Hub 仓库读取模型结构。只读取文件头，从不读取权重。</translation>
    </message>
    <message>
        <source>config.json…</source>
        <translation>config.json…</translation>
    </message>
    <message>
        <source>Model folder (safetensors)…</source>
        <translation>模型文件夹（safetensors）…</translation>
    </message>
    <message>
        <source>GGUF file…</source>
        <translation>GGUF 文件…</translation>
    </message>
    <message>
        <source>Hugging Face Hub repo…</source>
        <translation>Hugging Face Hub 仓库…</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Hub</source>
        <translation>Hub</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>{0} · {1} layers · hidden {2} · {3} {4}/{5} heads · {6} parameters</source>
        <translation>{0} · {1} 层 · 隐藏 {2} · {3} {4}/{5} 头 · {6} 参数</translation>
    </message>
    <message>
        <source>No built-in model matches {0!r}. Type part of a name, or a Hub repo id such as Qwen/Qwen2.5-7B.</source>
        <translation>没有内置模型匹配 {0!r}。请输入名称的一部分，或 Hub 仓库 ID，例如 Qwen/Qwen2.5-7B。</translation>
    </message>
    <message>
        <source>{0} built-in models match: {1}</source>
        <translation>有 {0} 个内置模型匹配：{1}</translation>
    </message>
    <message>
        <source>Open a config.json</source>
        <translation>打开 config.json</translation>
    </message>
    <message>
        <source>Model config (*.json);;All files (*)</source>
        <translation>模型配置 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a model folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <source>Open a GGUF file</source>
        <translation>打开 GGUF 文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Hugging Face Hub repo</source>
        <translation>Hugging Face Hub 仓库</translation>
    </message>
    <message>
        <source>Repo id (owner/name). Only config.json and the weight index are fetched, over the network:</source>
        <translation>仓库 ID（所有者/名称）。只通过网络获取 config.json 和权重索引：</translation>
    </message>
    <message>
        <source>{0!r} is not a Hub repo id: it looks like owner/name, e.g. meta-llama/Meta-Llama-3-8B.</source>
        <translation>{0!r} 不是 Hub 仓库 ID：格式应为 所有者/名称，例如 meta-llama/Meta-Llama-3-8B。</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Dismiss this message</source>
        <translation>关闭此消息</translation>
    </message>
</context>
<context>
    <name>PlanController</name>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Loading {0}…</source>
        <translation>正在加载 {0}…</translation>
    </message>
    <message>
        <source>Autosave failed: {0}</source>
        <translation>自动保存失败：{0}</translation>
    </message>
</context>
<context>
    <name>PlanControls</name>
    <message>
        <source>Inference</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Full fine-tuning</source>
        <translation>全参数微调</translation>
    </message>
    <message>
        <source>LoRA fine-tuning</source>
        <translation>LoRA 微调</translation>
    </message>
    <message>
        <source>QLoRA fine-tuning</source>
        <translation>QLoRA 微调</translation>
    </message>
    <message>
        <source>auto (the model&apos;s dtype)</source>
        <translation>auto（模型自身的数据类型）</translation>
    </message>
    <message>
        <source>AdamW (fp32 states)</source>
        <translation>AdamW（fp32 状态）</translation>
    </message>
    <message>
        <source>AdamW 8-bit (bitsandbytes)</source>
        <translation>AdamW 8 位（bitsandbytes）</translation>
    </message>
    <message>
        <source>SGD (no state)</source>
        <translation>SGD（无状态）</translation>
    </message>
    <message>
        <source>SGD with momentum</source>
        <translation>带动量的 SGD</translation>
    </message>
    <message>
        <source>Adafactor (factored)</source>
        <translation>Adafactor（分解）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>不重算</translation>
    </message>
    <message>
        <source>Selective (attention)</source>
        <translation>选择性（注意力）</translation>
    </message>
    <message>
        <source>Full (checkpointing)</source>
        <translation>完全（检查点）</translation>
    </message>
    <message>
        <source>The program that loads and runs the model. Each keeps weights, KV cache and work buffers its own way, and each loads its own set of formats (llama.cpp and Ollama: GGUF; transformers and vLLM: Hugging Face checkpoints).</source>
        <translation>加载并运行模型的程序。各运行时以自己的方式存放权重、KV 缓存和工作缓冲区，能加载的格式也各不相同（llama.cpp 和 Ollama：GGUF；transformers 和 vLLM：Hugging Face 检查点）。</translation>
    </message>
    <message>
        <source>Inference runs the model; full fine-tuning trains every weight (with gradients and optimizer states); LoRA trains small adapters on a frozen 16-bit base; QLoRA does the same on a 4-bit NF4 base.</source>
        <translation>推理即运行模型；全参数微调训练所有权重（需要梯度和优化器状态）；LoRA 在冻结的 16 位底座上训练小型适配器；QLoRA 在 4 位 NF4 底座上做同样的事。</translation>
    </message>
    <message>
        <source>Element type of the keys and values cached for every token of context, per layer: 16-bit by default; 8- and 4-bit blocks (llama.cpp, Ollama) or FP8 (vLLM) halve or quarter it. transformers keeps its compute dtype.</source>
        <translation>每层为上下文中每个 token缓存的键和值的元素类型：默认 16 位；8 位和 4 位分块（llama.cpp、Ollama）或 FP8（vLLM）可将其减半或减为四分之一。transformers 使用其计算数据类型。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>R&amp;untime:</source>
        <translation>运行时(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation>模式(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;KV cache:</source>
        <translation>KV 缓存(&amp;K)：</translation>
    </message>
    <message>
        <source>What the optimizer keeps per trained weight: AdamW two fp32 moments (8 bytes), its 8-bit version 2 bytes, SGD nothing (4 bytes with momentum), Adafactor a row and a column per matrix.</source>
        <translation>优化器为每个受训权重保存的内容：AdamW 两个 fp32 矩（8 字节），其 8 位版本 2 字节，SGD 不保存（带动量时 4 字节），Adafactor 每个矩阵一行一列。</translation>
    </message>
    <message>
        <source>Activation recomputation (Korthikanti et al. 2022): keep fewer activations for the backward pass and compute them again. Selective recomputes the attention core; full keeps only each layer&apos;s input (about a third more compute).</source>
        <translation>激活重算（Korthikanti 等，2022）：为反向传播保留更少的激活，需要时重新计算。选择性重算只重算注意力核心；完全重算只保留每层的输入（计算量约增加三分之一）。</translation>
    </message>
    <message>
        <source>Rank r of each LoRA adapter: an adapted d_out × d_in matrix gains r × (d_in + d_out) trainable weights. 8–64 is usual.</source>
        <translation>每个 LoRA 适配器的秩 r：一个 d_out × d_in 的矩阵增加 r × (d_in + d_out) 个可训练权重。常用 8–64。</translation>
    </message>
    <message>
        <source>The matrices that get adapters, comma-separated, as PEFT&apos;s target_modules names them (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj …) or all-linear.</source>
        <translation>加适配器的矩阵，用逗号分隔，按 PEFT 的 target_modules 命名（q_proj、k_proj、v_proj、o_proj、gate_proj、up_proj、down_proj …），或 all-linear。</translation>
    </message>
    <message>
        <source>0 — every GPU holds everything</source>
        <translation>0 — 每个 GPU 保存全部</translation>
    </message>
    <message>
        <source>1 — optimizer states split</source>
        <translation>1 — 切分优化器状态</translation>
    </message>
    <message>
        <source>2 — also gradients split</source>
        <translation>2 — 同时切分梯度</translation>
    </message>
    <message>
        <source>3 — also weights split</source>
        <translation>3 — 同时切分权重</translation>
    </message>
    <message>
        <source>DeepSpeed ZeRO (Rajbhandari et al. 2020): split optimizer states, gradients and weights among the data-parallel GPUs instead of copying them to each.</source>
        <translation>DeepSpeed ZeRO（Rajbhandari 等，2020）：把优化器状态、梯度和权重切分到各数据并行 GPU 上，而不是每个 GPU 复制一份。</translation>
    </message>
    <message>
        <source>Data-parallel GPUs training together; with ZeRO each holds a 1/N share of what it splits. Memory is shown per GPU.</source>
        <translation>共同训练的数据并行 GPU 数；使用 ZeRO 时，被切分的部分每个 GPU 只保存 1/N。内存按单个 GPU 显示。</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>&amp;Optimizer:</source>
        <translation>优化器(&amp;O)：</translation>
    </message>
    <message>
        <source>Re&amp;computation:</source>
        <translation>重算(&amp;C)：</translation>
    </message>
    <message>
        <source>LoRA &amp;rank:</source>
        <translation>LoRA 秩(&amp;R)：</translation>
    </message>
    <message>
        <source>LoRA &amp;targets:</source>
        <translation>LoRA 目标(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;ZeRO stage:</source>
        <translation>ZeRO 阶段(&amp;Z)：</translation>
    </message>
    <message>
        <source>&amp;GPUs:</source>
        <translation>GPU 数(&amp;G)：</translation>
    </message>
    <message>
        <source>Micro-&amp;batch per GPU:</source>
        <translation>每 GPU 微批次(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Batch:</source>
        <translation>批次(&amp;B)：</translation>
    </message>
    <message>
        <source>Sequences in one training step on each GPU; activations grow in proportion.</source>
        <translation>每个 GPU 一步训练处理的序列数；激活随之成比例增长。</translation>
    </message>
    <message>
        <source>Sequences processed together (llama.cpp/Ollama --parallel, vLLM&apos;s concurrent requests): each needs its own KV cache.</source>
        <translation>同时处理的序列数（llama.cpp/Ollama 的 --parallel，vLLM 的并发请求）：每个序列需要自己的 KV 缓存。</translation>
    </message>
    <message>
        <source>{0} cannot keep a {1} cache; it takes {2}. The figures shown are still for {3}.</source>
        <translation>{0} 不支持 {1} 缓存；它支持 {2}。当前显示的仍是 {3} 的数据。</translation>
    </message>
    <message>
        <source>name at least one module, or all-linear</source>
        <translation>请至少写一个模块名，或 all-linear</translation>
    </message>
</context>
<context>
    <name>PrecisionCharts</name>
    <message>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
    <message>
        <source>activations</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>overhead</source>
        <translation>额外开销</translation>
    </message>
    <message>
        <source>memory (GiB)</source>
        <translation>内存 (GiB)</translation>
    </message>
    <message>
        <source>(GiB)</source>
        <translation>(GiB)</translation>
    </message>
    <message>
        <source>context (tokens per sequence, log scale)</source>
        <translation>上下文（每序列 token 数，对数刻度）</translation>
    </message>
    <message>
        <source>quantised − original weight</source>
        <translation>量化后 − 原始权重</translation>
    </message>
    <message>
        <source>share of weights (%)</source>
        <translation>权重占比 (%)</translation>
    </message>
    <message>
        <source>gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>optimizer states</source>
        <translation>优化器状态</translation>
    </message>
    <message>
        <source>memory per GPU (GiB)</source>
        <translation>每 GPU 内存 (GiB)</translation>
    </message>
</context>
<context>
    <name>PrecisionTab</name>
    <message>
        <source>partial offload: {0} of {1} layers on the GPU</source>
        <translation>部分卸载：{1} 层中有 {0} 层在 GPU 上</translation>
    </message>
    <message>
        <source>fits with headroom</source>
        <translation>放得下，有余量</translation>
    </message>
    <message>
        <source>fits, tight</source>
        <translation>放得下，但很紧</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>仅 CPU</translation>
    </message>
    <message>
        <source>does not fit</source>
        <translation>放不下</translation>
    </message>
    <message>
        <source>partial {0}/{1}</source>
        <translation>部分 {0}/{1}</translation>
    </message>
    <message>
        <source>fits</source>
        <translation>放得下</translation>
    </message>
    <message>
        <source>tight</source>
        <translation>很紧</translation>
    </message>
    <message>
        <source>no quality data</source>
        <translation>无质量数据</translation>
    </message>
    <message>
        <source>ΔPPL {0:+.3f} ({1})</source>
        <translation>ΔPPL {0:+.3f}（{1}）</translation>
    </message>
    <message>
        <source>KLD {0:.4f} ({1})</source>
        <translation>KLD {0:.4f}（{1}）</translation>
    </message>
    <message>
        <source>no published quality figure for this format</source>
        <translation>此格式没有已发表的质量数据</translation>
    </message>
    <message>
        <source>perplexity {0:+.3f}</source>
        <translation>困惑度 {0:+.3f}</translation>
    </message>
    <message>
        <source>KL divergence {0:.4f}</source>
        <translation>KL 散度 {0:.4f}</translation>
    </message>
    <message>
        <source>{0} against {1}, measured on {2}</source>
        <translation>{0}（对比 {1}，测自 {2}）</translation>
    </message>
    <message>
        <source>system RAM: {0}</source>
        <translation>系统内存：{0}</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>{0} × {1}: {2}</source>
        <translation>{0} × {1}：{2}</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Weight bytes per format: llama.cpp src/llama-quant.cpp (per-tensor recipes) and ggml-common.h (block sizes); bitsandbytes, AutoGPTQ and AutoAWQ buffers (llmplanner/core/weight_storage.py).</source>
        <translation>各格式的权重字节数：llama.cpp src/llama-quant.cpp（逐张量配方）和 ggml-common.h（块大小）；bitsandbytes、AutoGPTQ 和 AutoAWQ 的缓冲区（llmplanner/core/weight_storage.py）。</translation>
    </message>
    <message>
        <source>Inference memory per runtime: llama.cpp src/llama-context.cpp, llama-kv-cache.cpp and ggml-backend.cpp; transformers DynamicCache and generation/utils.py; vLLM v1/worker/gpu_worker.py and kv_cache_utils.py; Ollama server/sched.go (llmplanner/core/memory/).</source>
        <translation>各运行时的推理内存：llama.cpp src/llama-context.cpp、llama-kv-cache.cpp 和 ggml-backend.cpp；transformers DynamicCache 和 generation/utils.py；vLLM v1/worker/gpu_worker.py 和 kv_cache_utils.py；Ollama server/sched.go（llmplanner/core/memory/）。</translation>
    </message>
    <message>
        <source>Quality cost: llama.cpp tools/perplexity/README.md scoreboards, tools/quantize/quantize.cpp, Lin et al. 2023 (AWQ, arXiv:2306.00978), published GPTQ measurements (resources/quality.json).</source>
        <translation>质量代价：llama.cpp tools/perplexity/README.md 的评分表、tools/quantize/quantize.cpp、Lin 等 2023（AWQ，arXiv:2306.00978）、已发表的 GPTQ 测量（resources/quality.json）。</translation>
    </message>
    <message>
        <source>Measured rounding error: the reference quantisers of ggml/src/ggml-quants.c, bitsandbytes&apos; NF4/FP4 codebooks (Dettmers et al. 2023, arXiv:2305.14314), the OCP FP8 and MX specifications (llmplanner/core/quant_sim.py).</source>
        <translation>实测舍入误差：ggml/src/ggml-quants.c 的参考量化器，bitsandbytes 的 NF4/FP4 码本（Dettmers 等 2023，arXiv:2305.14314），OCP FP8 与 MX 规范（llmplanner/core/quant_sim.py）。</translation>
    </message>
    <message>
        <source>Training memory: Rajbhandari et al. 2020 (ZeRO, arXiv:1910.02054), Korthikanti et al. 2022 (activations, arXiv:2205.05198), Hu et al. 2021 (LoRA, arXiv:2106.09685), Megatron-LM theoretical_memory_usage.py (the rule of thumb).</source>
        <translation>训练内存：Rajbhandari 等 2020（ZeRO，arXiv:1910.02054），Korthikanti 等 2022（激活，arXiv:2205.05198），Hu 等 2021（LoRA，arXiv:2106.09685），Megatron-LM theoretical_memory_usage.py（经验法则）。</translation>
    </message>
    <message>
        <source>Comparing formats…</source>
        <translation>正在比较各格式…</translation>
    </message>
    <message>
        <source>Measuring quantisation error…</source>
        <translation>正在测量量化误差…</translation>
    </message>
    <message>
        <source>Detecting this machine…</source>
        <translation>正在检测本机…</translation>
    </message>
    <message>
        <source>The memory the formats are checked against: the GPUs chosen in the plan, or this machine as detected (its GPUs, else its RAM).</source>
        <translation>用来检验各格式的内存：方案中选定的 GPU，或检测到的本机（有 GPU 用 GPU，否则用内存）。</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <source>All memory is in GiB (2³⁰ bytes, as nvidia-smi and operating systems count). Quality is the published perplexity increase (ΔPPL) or KL divergence against 16-bit weights, with the model it was measured on: costs transfer only roughly between models.</source>
        <translation>所有内存均以 GiB 为单位（2³⁰ 字节，与 nvidia-smi 和操作系统的算法一致）。质量为已发表的相对 16 位权重的困惑度增量（ΔPPL）或 KL 散度，并注明测量所用的模型：换到其他模型只能粗略参考。</translation>
    </message>
    <message>
        <source>Conte&amp;xt:</source>
        <translation>上下文(&amp;X)：</translation>
    </message>
    <message>
        <source>Double-click a row to make its format the plan&apos;s.</source>
        <translation>双击某行，把该格式设为方案的格式。</translation>
    </message>
    <message>
        <source>Total memory as the context grows, for the formats ticked on the right; the dashed line is the hardware&apos;s memory, the dotted one the plan&apos;s context.</source>
        <translation>右侧勾选的格式随上下文增长所需的总内存；虚线为硬件内存，点线为方案的上下文长度。</translation>
    </message>
    <message>
        <source>Tick up to six formats to draw.</source>
        <translation>最多勾选六种格式绘制。</translation>
    </message>
    <message>
        <source>&amp;Neighbours</source>
        <translation>相邻格式(&amp;N)</translation>
    </message>
    <message>
        <source>Draw the plan&apos;s format and the formats next to it again.</source>
        <translation>重新绘制方案的格式及其相邻格式。</translation>
    </message>
    <message>
        <source>&amp;Formats</source>
        <translation>格式(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Table</source>
        <translation>表格(&amp;T)</translation>
    </message>
    <message>
        <source>Memory vs &amp;context</source>
        <translation>内存与上下文(&amp;C)</translation>
    </message>
    <message>
        <source>Quantisation &amp;error</source>
        <translation>量化误差(&amp;E)</translation>
    </message>
    <message>
        <source>Trai&amp;ning memory</source>
        <translation>训练内存(&amp;N)</translation>
    </message>
    <message>
        <source>Memory of every format the runtime loads, with its fit and quality cost. Click a bar to use that format.</source>
        <translation>运行时可加载的每种格式所需的内存、能否放下及质量代价。点击条形即可使用该格式。</translation>
    </message>
    <message>
        <source>Quantise a weight sample in every format and measure the error.</source>
        <translation>用每种格式量化一份权重样本并测量误差。</translation>
    </message>
    <message>
        <source>This model&apos;s architecture is unknown (weights without a config.json): put its config.json beside the weights.</source>
        <translation>此模型的结构未知（权重旁没有 config.json）：请把 config.json 放在权重旁边。</translation>
    </message>
    <message>
        <source>Se&amp;quence length:</source>
        <translation>序列长度(&amp;Q)：</translation>
    </message>
    <message>
        <source>The plan&apos;s context ({0} tokens) is longer than this model&apos;s maximum; figures here use {1}.</source>
        <translation>方案的上下文（{0} 个 token）超过此模型的最大长度；这里按 {1} 计算。</translation>
    </message>
    <message>
        <source>Comparing formats of {0}…</source>
        <translation>正在比较 {0} 的各格式…</translation>
    </message>
    <message>
        <source>{0} cannot load {1} weights: switched to {2}.</source>
        <translation>{0} 无法加载 {1} 权重：已改为 {2}。</translation>
    </message>
    <message>
        <source>{0} has no {1} KV cache: switched to {2}.</source>
        <translation>{0} 没有 {1} KV 缓存：已改为 {2}。</translation>
    </message>
    <message>
        <source>Measuring quantisation error in {0} formats…</source>
        <translation>正在测量 {0} 种格式的量化误差…</translation>
    </message>
    <message>
        <source>This machine could not be detected: {0}</source>
        <translation>无法检测本机：{0}</translation>
    </message>
    <message>
        <source>vLLM needs a GPU: choose GPUs for the plan, or another runtime. The figures shown are for the last settings that worked.</source>
        <translation>vLLM 需要 GPU：请为方案选择 GPU，或换用其他运行时。当前显示的是上一次可用设置的数据。</translation>
    </message>
    <message>
        <source>No hardware chosen: the figures are not checked against any memory.</source>
        <translation>未选择硬件：数据未与任何内存比较。</translation>
    </message>
    <message>
        <source>This machine, as detected: no GPU found, so the model runs from system RAM ({0}).</source>
        <translation>检测到的本机：未发现 GPU，模型将在系统内存中运行（{0}）。</translation>
    </message>
    <message>
        <source>This machine, as detected: {0}.</source>
        <translation>检测到的本机：{0}。</translation>
    </message>
    <message>
        <source>Chosen in the plan: system RAM {0}.</source>
        <translation>方案中选定：系统内存 {0}。</translation>
    </message>
    <message>
        <source>Chosen in the plan: {0}.</source>
        <translation>方案中选定：{0}。</translation>
    </message>
    <message>
        <source>Full fine-tuning</source>
        <translation>全参数微调</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>QLoRA</source>
        <translation>QLoRA</translation>
    </message>
    <message>
        <source> — &lt;span style=&apos;color:{0}&apos;&gt;fits one GPU of {1}&lt;/span&gt;</source>
        <translation> — &lt;span style=&apos;color:{0}&apos;&gt;单个 {1} 的 GPU 放得下&lt;/span&gt;</translation>
    </message>
    <message>
        <source> — &lt;span style=&apos;color:{0}&apos;&gt;more than one GPU&apos;s {1}&lt;/span&gt;</source>
        <translation> — &lt;span style=&apos;color:{0}&apos;&gt;超过单个 GPU 的 {1}&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; of {1}: &lt;b&gt;{2} per GPU&lt;/b&gt; on {3} GPU(s), sequences of {4} tokens, micro-batch {5}{6}. {7} of {8} parameters are trained.</source>
        <translation>{1} 的&lt;b&gt;{0}&lt;/b&gt;：&lt;b&gt;每 GPU {2}&lt;/b&gt;，共 {3} 个 GPU，序列长 {4} 个 token，微批次 {5}{6}。{8} 个参数中训练 {7} 个。</translation>
    </message>
    <message>
        <source>{0} ({1:.2f} bits per weight): weights {2}, KV cache {3}, activations {4}, overhead {5}; total {6}. Quality: {7}. Click to use this format.</source>
        <translation>{0}（每权重 {1:.2f} 位）：权重 {2}，KV 缓存 {3}，激活 {4}，额外开销 {5}；合计 {6}。质量：{7}。点击使用此格式。</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} 个 token</translation>
    </message>
    <message>
        <source>{0} at {1} tokens × {2} sequence(s), KV cache {3}</source>
        <translation>{0}，{1} 个 token × {2} 个序列，KV 缓存 {3}</translation>
    </message>
    <message>
        <source>{0} cannot load the plan&apos;s format {1}; click a bar to choose one it can. ({2})</source>
        <translation>{0} 无法加载方案的格式 {1}；请点击条形选择它能加载的格式。（{2}）</translation>
    </message>
    <message>
        <source> — &lt;span style=&apos;color:{0}&apos;&gt;{1}&lt;/span&gt; on {2}</source>
        <translation> — 在 {2} 上&lt;span style=&apos;color:{0}&apos;&gt;{1}&lt;/span&gt;</translation>
    </message>
    <message>
        <source>vLLM takes {0:.0%} of each GPU up front and gives what weights and activations leave to its KV cache pool ({1}); one sequence of this context needs {2}, so about {3:,.0f} run at once.</source>
        <translation>vLLM 预先占用每个 GPU 的 {0:.0%}，扣除权重和激活后全部留给 KV 缓存池（{1}）；此上下文长度的一个序列需要 {2}，因此可同时运行约 {3:,.0f} 个。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; (the plan&apos;s format, {1:.2f} bits per weight): &lt;b&gt;{2}&lt;/b&gt; in total{3}. {4}. Quality: {5}. &lt;i&gt;Click a bar to use another format.&lt;/i&gt;{6}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;（方案的格式，每权重 {1:.2f} 位）：合计 &lt;b&gt;{2}&lt;/b&gt;{3}。{4}。质量：{5}。&lt;i&gt;点击条形可改用其他格式。&lt;/i&gt;{6}</translation>
    </message>
    <message>
        <source>Runtime {0}, context {1} tokens, batch {2}, KV cache {3}, mode {4}</source>
        <translation>运行时 {0}，上下文 {1} 个 token，批次 {2}，KV 缓存 {3}，模式 {4}</translation>
    </message>
    <message>
        <source>Hardware: {0}</source>
        <translation>硬件：{0}</translation>
    </message>
    <message>
        <source>none chosen</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>All memory in GiB (2³⁰ bytes).</source>
        <translation>所有内存以 GiB（2³⁰ 字节）为单位。</translation>
    </message>
    <message>
        <source>Memory by format</source>
        <translation>各格式的内存</translation>
    </message>
    <message>
        <source>Training memory per GPU</source>
        <translation>每 GPU 的训练内存</translation>
    </message>
    <message>
        <source>Per GPU</source>
        <translation>每 GPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Measured quantisation error ({0})</source>
        <translation>实测量化误差（{0}）</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>RMSE</source>
        <translation>RMSE</translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>QuantErrorPanel</name>
    <message>
        <source>Gaussian sample (std 0.02)</source>
        <translation>高斯样本（标准差 0.02）</translation>
    </message>
    <message>
        <source>Heavy-tailed sample (Student-t, ν = {0:g})</source>
        <translation>重尾样本（Student-t，ν = {0:g}）</translation>
    </message>
    <message>
        <source>A tensor of the model&apos;s safetensors file</source>
        <translation>模型 safetensors 文件中的一个张量</translation>
    </message>
    <message>
        <source>The weights to quantise. Trained weights have heavier tails than a Gaussian (a few large values per row), which the Student-t sample imitates; a real tensor is read from the model&apos;s file when the plan&apos;s model is a local safetensors checkpoint (only that tensor, at most 2 M values).</source>
        <translation>要量化的权重。训练后的权重比高斯分布尾部更重（每行有少数大值），Student-t 样本模拟这一点；当方案的模型是本地 safetensors 检查点时，可从模型文件读取一个真实张量（只读该张量，最多 200 万个值）。</translation>
    </message>
    <message>
        <source>Which tensor of the checkpoint to read (its first rows, up to 2 M values).</source>
        <translation>读取检查点中的哪个张量（从开头读取若干行，最多 200 万个值）。</translation>
    </message>
    <message>
        <source>&amp;Measure</source>
        <translation>测量(&amp;M)</translation>
    </message>
    <message>
        <source>Quantise the sample in every format of the runtime with numpy and measure the error (a second or two).</source>
        <translation>用 numpy 以运行时支持的每种格式量化样本并测量误差（需一两秒）。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sa&amp;mple:</source>
        <translation>样本(&amp;M)：</translation>
    </message>
    <message>
        <source>Press Measure to quantise a sample in every format.</source>
        <translation>按“测量”以每种格式量化一份样本。</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>RMSE</source>
        <translation>RMSE</translation>
    </message>
    <message>
        <source>SQNR
(dB)</source>
        <translation>SQNR
(dB)</translation>
    </message>
    <message>
        <source>Bits per
weight</source>
        <translation>每权重
位数</translation>
    </message>
    <message>
        <source>Largest
error</source>
        <translation>最大
误差</translation>
    </message>
    <message>
        <source>Simulated
as</source>
        <translation>模拟
方式</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>The weight format.</source>
        <translation>权重格式。</translation>
    </message>
    <message>
        <source>Root-mean-square error between the weights and their quantised values, in the weights&apos; own unit: lower is better.</source>
        <translation>权重与其量化值之间的均方根误差，单位与权重相同：越低越好。</translation>
    </message>
    <message>
        <source>Signal-to-quantisation-noise ratio, 10·log₁₀(Σx² / Σ(x − x̂)²), in decibels: higher is better; every 6 dB is about one bit.</source>
        <translation>信号与量化噪声之比，10·log₁₀(Σx² / Σ(x − x̂)²)，单位分贝：越高越好；每 6 dB 约相当于一位。</translation>
    </message>
    <message>
        <source>Storage per weight including the scales, for this sample&apos;s shape (bits).</source>
        <translation>按此样本形状计算的每个权重的存储量，含缩放因子（位）。</translation>
    </message>
    <message>
        <source>The largest absolute error of any single weight.</source>
        <translation>单个权重的最大绝对误差。</translation>
    </message>
    <message>
        <source>The quantisation scheme simulated (a llama.cpp mix is measured in its main tensor type).</source>
        <translation>所模拟的量化方案（llama.cpp 的混合格式按其主要张量类型测量）。</translation>
    </message>
    <message>
        <source>What the simulation leaves out, or why a format could not be simulated.</source>
        <translation>模拟未包含的部分，或某格式无法模拟的原因。</translation>
    </message>
    <message>
        <source>How the rounding errors are spread: the plan&apos;s format and the format selected in the table.</source>
        <translation>舍入误差的分布：方案的格式与表中选中的格式。</translation>
    </message>
    <message>
        <source>Open a model folder or .safetensors file to sample its real weights.</source>
        <translation>打开模型文件夹或 .safetensors 文件，即可取样其真实权重。</translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation>{0}/{1}</translation>
    </message>
    <message>
        <source>Cancelled. Press Measure to run it again.</source>
        <translation>已取消。按“测量”重新运行。</translation>
    </message>
    <message>
        <source>Sample: {0}. Each format quantises it and dequantises it again with numpy, as its reference implementation does; a llama.cpp mix (Q4_K_M …) is measured in its main tensor type.</source>
        <translation>样本：{0}。每种格式都按其参考实现用 numpy 量化再反量化；llama.cpp 的混合格式（Q4_K_M …）按其主要张量类型测量。</translation>
    </message>
</context>
<context>
    <name>SamplerControls</name>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Truncation</source>
        <translation>截断</translation>
    </message>
    <message>
        <source>Penalties and bias</source>
        <translation>惩罚与偏置</translation>
    </message>
    <message>
        <source>Mirostat</source>
        <translation>Mirostat</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>采样链</translation>
    </message>
    <message>
        <source>Divides every logit by T before the softmax: below 1 sharpens the distribution, above 1 flattens it. 0 or less means greedy in llama.cpp and vLLM; transformers refuses it. No unit; usually 0–2.</source>
        <translation>在 softmax 之前把每个 logit 除以 T：小于 1 使分布更尖锐，大于 1 使其更平坦。0 或更小在 llama.cpp 和 vLLM 中表示贪心解码；transformers 会拒绝。无单位，通常为 0–2。</translation>
    </message>
    <message>
        <source>Dynamic range</source>
        <translation>动态范围</translation>
    </message>
    <message>
        <source>llama.cpp dynamic temperature: the temperature moves within T ± range, higher when the distribution is uncertain (high entropy). 0 = off. No unit.</source>
        <translation>llama.cpp 动态温度：温度在 T ± 范围内变化，分布越不确定（熵越高）温度越高。0 = 关闭。无单位。</translation>
    </message>
    <message>
        <source>Dynamic exponent</source>
        <translation>动态指数</translation>
    </message>
    <message>
        <source>How the dynamic temperature follows the entropy: 1 is linear, larger values stay near the low end longer. No unit.</source>
        <translation>动态温度随熵变化的方式：1 为线性，数值越大越久停留在低端。无单位。</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Keeps only the k most likely tokens. 0 = off (every token); vLLM also takes -1 for off. A whole number of tokens.</source>
        <translation>只保留最可能的 k 个词元。0 = 关闭（全部词元）；vLLM 也接受 -1 表示关闭。词元个数，整数。</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Nucleus sampling: keeps the most likely tokens until their cumulative probability reaches p (Holtzman et al. 2020). 1 = off. A probability, 0–1.</source>
        <translation>核采样：按概率从高到低保留词元，直到累计概率达到 p（Holtzman 等，2020）。1 = 关闭。概率，0–1。</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Drops every token whose probability is below min-p × the top token&apos;s probability (Nguyen et al. 2024). 0 = off. A fraction, 0–1.</source>
        <translation>去掉概率低于 min-p × 最高词元概率的所有词元（Nguyen 等，2024）。0 = 关闭。比例，0–1。</translation>
    </message>
    <message>
        <source>Typical-p</source>
        <translation>Typical-p</translation>
    </message>
    <message>
        <source>Locally typical sampling: keeps the tokens whose surprise is closest to the entropy until their probability reaches p (Meister et al. 2023). 1 = off. A probability, 0–1.</source>
        <translation>局部典型采样：按“惊奇度”与熵的接近程度保留词元，直到其概率之和达到 p（Meister 等，2023）。1 = 关闭。概率，0–1。</translation>
    </message>
    <message>
        <source>Top-n-σ</source>
        <translation>Top-n-σ</translation>
    </message>
    <message>
        <source>llama.cpp: keeps the tokens whose logit is within n standard deviations of the top logit (Tang et al. 2024). 0 or less = off. In standard deviations of the logits.</source>
        <translation>llama.cpp：保留 logit 与最高 logit 相差不超过 n 个标准差的词元（Tang 等，2024）。0 或更小 = 关闭。单位为 logit 的标准差。</translation>
    </message>
    <message>
        <source>Epsilon cut-off</source>
        <translation>Epsilon 截断</translation>
    </message>
    <message>
        <source>transformers: drops every token whose probability is below ε (Hewitt et al. 2022). 0 = off. A probability, e.g. 0.0003.</source>
        <translation>transformers：去掉概率低于 ε 的所有词元（Hewitt 等，2022）。0 = 关闭。概率，例如 0.0003。</translation>
    </message>
    <message>
        <source>Eta cut-off</source>
        <translation>Eta 截断</translation>
    </message>
    <message>
        <source>transformers: drops tokens below min(η, √η·e^−H), a cut-off that falls as the entropy H rises (Hewitt et al. 2022). 0 = off. A probability, e.g. 0.0009.</source>
        <translation>transformers：去掉低于 min(η, √η·e^−H) 的词元，该阈值随熵 H 增大而降低（Hewitt 等，2022）。0 = 关闭。概率，例如 0.0009。</translation>
    </message>
    <message>
        <source>XTC probability</source>
        <translation>XTC 概率</translation>
    </message>
    <message>
        <source>llama.cpp XTC (exclude top choices): how often it removes every token above the threshold except the least likely of them. The chart mixes both outcomes. 0 = off. A probability, 0–1.</source>
        <translation>llama.cpp XTC（排除首选）：以多大概率去掉阈值以上除最不可能者之外的所有词元。图表把两种结果按概率混合显示。0 = 关闭。概率，0–1。</translation>
    </message>
    <message>
        <source>XTC threshold</source>
        <translation>XTC 阈值</translation>
    </message>
    <message>
        <source>The probability a token needs to count as a top choice for XTC. Above 0.5 XTC is off. A probability, 0–0.5.</source>
        <translation>词元被 XTC 视为首选所需的概率。高于 0.5 时 XTC 关闭。概率，0–0.5。</translation>
    </message>
    <message>
        <source>Min-keep</source>
        <translation>最少保留</translation>
    </message>
    <message>
        <source>llama.cpp: top-p, min-p, typical-p and XTC keep at least this many tokens. 0 = no minimum. A number of tokens.</source>
        <translation>llama.cpp：top-p、min-p、typical-p 和 XTC 至少保留这么多词元。0 = 无下限。词元个数。</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>The tokens before this one, oldest first, for the penalties and DRY: token ids or token texts separated by commas (quote texts with spaces or commas: &quot; Paris&quot;).</source>
        <translation>当前词元之前的词元（最早的在前），供惩罚和 DRY 使用：用逗号分隔的词元 id 或词元文本（含空格或逗号的文本要加引号：&quot; Paris&quot;）。</translation>
    </message>
    <message>
        <source>Prompt length</source>
        <translation>提示长度</translation>
    </message>
    <message>
        <source>How many of the history&apos;s tokens are the prompt. vLLM counts frequency and presence over the generated tokens only. A number of tokens.</source>
        <translation>历史中有多少词元属于提示。vLLM 只在生成的词元上统计频率和存在惩罚。词元个数。</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Divides the positive logits (multiplies the negative ones) of tokens found in the history (Keskar et al. 2019). 1 = off. A factor, usually 1–1.3.</source>
        <translation>对出现在历史中的词元，正 logit 除以该值（负 logit 乘以该值）（Keskar 等，2019）。1 = 关闭。倍数，通常为 1–1.3。</translation>
    </message>
    <message>
        <source>Frequency penalty</source>
        <translation>频率惩罚</translation>
    </message>
    <message>
        <source>Subtracts this × the number of times a token occurs in the history from its logit. 0 = off. In logits; vLLM accepts -2 to 2.</source>
        <translation>从词元的 logit 中减去该值 × 它在历史中出现的次数。0 = 关闭。单位为 logit；vLLM 接受 -2 到 2。</translation>
    </message>
    <message>
        <source>Presence penalty</source>
        <translation>存在惩罚</translation>
    </message>
    <message>
        <source>Subtracts this once from the logit of every token found in the history. 0 = off. In logits; vLLM accepts -2 to 2.</source>
        <translation>对出现在历史中的每个词元，从其 logit 中减去该值一次。0 = 关闭。单位为 logit；vLLM 接受 -2 到 2。</translation>
    </message>
    <message>
        <source>Penalty window</source>
        <translation>惩罚窗口</translation>
    </message>
    <message>
        <source>How many of the latest history tokens the penalties look at (repeat_last_n). -1 = all of them, 0 = penalties off. A number of tokens.</source>
        <translation>惩罚只看历史中最近的多少个词元（repeat_last_n）。-1 = 全部，0 = 关闭惩罚。词元个数。</translation>
    </message>
    <message>
        <source>DRY multiplier</source>
        <translation>DRY 系数</translation>
    </message>
    <message>
        <source>llama.cpp DRY (don&apos;t repeat yourself): penalises tokens that would extend a sequence already in the history, by multiplier × base^(length − allowed length). 0 = off.</source>
        <translation>llama.cpp DRY（不要重复自己）：惩罚会延续历史中已有序列的词元，惩罚量为 系数 × 底数^(长度 − 允许长度)。0 = 关闭。</translation>
    </message>
    <message>
        <source>DRY base</source>
        <translation>DRY 底数</translation>
    </message>
    <message>
        <source>How fast the DRY penalty grows with every repeated token beyond the allowed length. At least 1 (llama-server uses 1.75 below that).</source>
        <translation>超出允许长度后，每多重复一个词元 DRY 惩罚增长的快慢。至少为 1（低于 1 时 llama-server 使用 1.75）。</translation>
    </message>
    <message>
        <source>DRY allowed length</source>
        <translation>DRY 允许长度</translation>
    </message>
    <message>
        <source>Repeated sequences up to this long are not penalised by DRY. A number of tokens.</source>
        <translation>不超过此长度的重复序列不受 DRY 惩罚。词元个数。</translation>
    </message>
    <message>
        <source>DRY window</source>
        <translation>DRY 窗口</translation>
    </message>
    <message>
        <source>How much of the history DRY scans. -1 = all of it, 0 = DRY off. A number of tokens.</source>
        <translation>DRY 扫描多少历史。-1 = 全部，0 = 关闭 DRY。词元个数。</translation>
    </message>
    <message>
        <source>DRY breakers</source>
        <translation>DRY 断句符</translation>
    </message>
    <message>
        <source>Texts that end a repetition for DRY, as quoted strings separated by commas, e.g. &quot;\n&quot;, &quot;:&quot;.</source>
        <translation>对 DRY 而言会终止重复的文本，写成用逗号分隔的带引号字符串，例如 &quot;\n&quot;, &quot;:&quot;。</translation>
    </message>
    <message>
        <source>Logit bias</source>
        <translation>Logit 偏置</translation>
    </message>
    <message>
        <source>Adds a number to chosen tokens&apos; logits: &apos;token: bias&apos; pairs separated by commas (ids or token texts); -inf forbids a token. In logits.</source>
        <translation>给指定词元的 logit 加上一个数：用逗号分隔的“词元: 偏置”对（id 或词元文本）；-inf 禁止该词元。单位为 logit。</translation>
    </message>
    <message>
        <source>llama.cpp Mirostat replaces the truncation samplers with a feedback loop that keeps the surprise of the chosen tokens near τ (Basu et al. 2021). Off, version 1 or version 2.</source>
        <translation>llama.cpp Mirostat 用一个反馈回路取代截断采样器，使所选词元的惊奇度保持在 τ 附近（Basu 等，2021）。可选关闭、版本 1 或版本 2。</translation>
    </message>
    <message>
        <source>Mirostat τ</source>
        <translation>Mirostat τ</translation>
    </message>
    <message>
        <source>Mirostat&apos;s target surprise: the average −log₂ p of the chosen tokens. In bits.</source>
        <translation>Mirostat 的目标惊奇度：所选词元 −log₂ p 的平均值。单位为比特。</translation>
    </message>
    <message>
        <source>Mirostat η</source>
        <translation>Mirostat η</translation>
    </message>
    <message>
        <source>How fast Mirostat corrects its threshold after each token. A learning rate, usually 0.1.</source>
        <translation>Mirostat 每个词元之后修正阈值的快慢。学习率，通常为 0.1。</translation>
    </message>
    <message>
        <source>Sampler order</source>
        <translation>采样器顺序</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s chain order (--samplers): names separated by &apos;;&apos; (penalties, dry, top_n_sigma, top_k, typ_p, top_p, min_p, xtc, temperature) or a --sampling-seq string such as &apos;edskypmxt&apos;. A sampler left out does not run.</source>
        <translation>llama.cpp 的采样链顺序（--samplers）：用 &apos;;&apos; 分隔的名称（penalties、dry、top_n_sigma、top_k、typ_p、top_p、min_p、xtc、temperature），或 --sampling-seq 字符串，如 &apos;edskypmxt&apos;。未列出的采样器不运行。</translation>
    </message>
    <message>
        <source>Sample (do_sample)</source>
        <translation>采样（do_sample）</translation>
    </message>
    <message>
        <source>transformers: unticked is greedy search, the most likely token after the penalties; the sampling settings are then unused.</source>
        <translation>transformers：不勾选即贪心搜索，取惩罚之后最可能的词元；此时采样设置不起作用。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Mirostat (v1)</source>
        <translation>Mirostat（v1）</translation>
    </message>
    <message>
        <source>Mirostat 2.0</source>
        <translation>Mirostat 2.0</translation>
    </message>
    <message>
        <source>{0} calls it &lt;tt&gt;{1}&lt;/tt&gt;.</source>
        <translation>{0} 中称为 &lt;tt&gt;{1}&lt;/tt&gt;。</translation>
    </message>
    <message>
        <source>Not set: {0}&apos;s default applies.</source>
        <translation>未设置：使用 {0} 的默认值。</translation>
    </message>
    <message>
        <source>Use {0}&apos;s default</source>
        <translation>使用 {0} 的默认值</translation>
    </message>
</context>
<context>
    <name>SamplingCharts</name>
    <message>
        <source>probability</source>
        <extracomment>Left-axis maxima: the range only changes when the bars cross one of these.</extracomment>
        <translation>概率</translation>
    </message>
    <message>
        <source>cumulative (before)</source>
        <translation>累计（之前）</translation>
    </message>
    <message>
        <source>others</source>
        <translation>其余</translation>
    </message>
    <message>
        <source>unlisted</source>
        <translation>未列出</translation>
    </message>
    <message>
        <source>final probability</source>
        <translation>最终概率</translation>
    </message>
    <message>
        <source>share of draws</source>
        <translation>抽取占比</translation>
    </message>
</context>
<context>
    <name>SamplingTab</name>
    <message>
        <source>Customer service (T 0.3, top-k 20, top-p 0.5)</source>
        <translation>客服（T 0.3，top-k 20，top-p 0.5）</translation>
    </message>
    <message>
        <source>Advertising (T 1.2, top-k 50, top-p 0.9)</source>
        <translation>广告（T 1.2，top-k 50，top-p 0.9）</translation>
    </message>
    <message>
        <source>Walkthrough (T 0.8, top-k 36, top-p 0.7)</source>
        <translation>演示（T 0.8，top-k 36，top-p 0.7）</translation>
    </message>
    <message>
        <source>Precise (Mistral&apos;s recommendation)</source>
        <translation>精确（Mistral 的推荐）</translation>
    </message>
    <message>
        <source>Balanced (Qwen&apos;s recommendation)</source>
        <translation>平衡（Qwen 的推荐）</translation>
    </message>
    <message>
        <source>Creative (Gemma&apos;s recommendation)</source>
        <translation>创意（Gemma 的推荐）</translation>
    </message>
    <message>
        <source>{0} defaults</source>
        <translation>{0} 默认值</translation>
    </message>
    <message>
        <source>What {0} uses when a request sets nothing. From {1}.</source>
        <translation>请求未设置任何项时 {0} 使用的值。出自 {1}。</translation>
    </message>
    <message>
        <source>A model vendor&apos;s published recommendation for its own models — a starting point, not a setting measured to be best. Source: {0}.</source>
        <translation>模型厂商为自家模型发布的推荐——只是起点，并非经测量证明最佳的设置。来源：{0}。</translation>
    </message>
    <message>
        <source>A worked example from the product description ({0}).</source>
        <translation>产品说明中的示例（{0}）。</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Sampler chains modelled from each engine&apos;s source: {0} ({1}).</source>
        <translation>依据各引擎源代码建模的采样链：{0}（{1}）。</translation>
    </message>
    <message>
        <source>Synthetic distributions: Zipf-Mandelbrot law (Piantadosi 2014, Zipf&apos;s word frequency law in natural language, Psychon. Bull. Rev. 21:1112).</source>
        <translation>合成分布：Zipf–Mandelbrot 定律（Piantadosi 2014，Zipf&apos;s word frequency law in natural language，Psychon. Bull. Rev. 21:1112）。</translation>
    </message>
    <message>
        <source>Top-p: Holtzman et al. 2020 (arXiv:1904.09751); min-p: Nguyen et al. 2024 (arXiv:2407.01082); typical-p: Meister et al. 2023 (arXiv:2202.00666); epsilon/eta: Hewitt et al. 2022 (arXiv:2210.15191); top-n-sigma: Tang et al. 2024 (arXiv:2411.07641); Mirostat: Basu et al. 2021 (arXiv:2007.14966); repetition penalty: Keskar et al. 2019 (arXiv:1909.05858).</source>
        <translation>Top-p：Holtzman 等 2020（arXiv:1904.09751）；min-p：Nguyen 等 2024（arXiv:2407.01082）；typical-p：Meister 等 2023（arXiv:2202.00666）；epsilon/eta：Hewitt 等 2022（arXiv:2210.15191）；top-n-sigma：Tang 等 2024（arXiv:2411.07641）；Mirostat：Basu 等 2021（arXiv:2007.14966）；重复惩罚：Keskar 等 2019（arXiv:1909.05858）。</translation>
    </message>
    <message>
        <source>Preset “{0}”: {1}.</source>
        <translation>预设“{0}”：{1}。</translation>
    </message>
    <message>
        <source>Building the distribution…</source>
        <translation>正在构建分布……</translation>
    </message>
    <message>
        <source>Fetching the distribution…</source>
        <translation>正在获取分布……</translation>
    </message>
    <message>
        <source>Comparing the engines…</source>
        <translation>正在比较各引擎……</translation>
    </message>
    <message>
        <source>Drawing tokens…</source>
        <translation>正在抽取词元……</translation>
    </message>
    <message>
        <source>The engine whose sampler chain runs: its order, its boundaries, its defaults for what you do not set, and its refusals.</source>
        <translation>运行哪个引擎的采样链：它的顺序、边界处理、未设置项的默认值，以及它会拒绝的值。</translation>
    </message>
    <message>
        <source>Presets…</source>
        <translation>预设……</translation>
    </message>
    <message>
        <source>Apply a preset. An engine&apos;s defaults switch to that engine and clear what you set; the others set their values and leave the rest to the engine&apos;s defaults. Hover an entry for its source.</source>
        <translation>应用预设。引擎默认值会切换到该引擎并清除你设置的值；其他预设只设置它们的数值，其余取引擎默认值。将鼠标悬停在条目上可查看来源。</translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation>重置(&amp;R)</translation>
    </message>
    <message>
        <source>Forget every value you set: the engine&apos;s defaults apply.</source>
        <translation>清除你设置的所有值：改用引擎的默认值。</translation>
    </message>
    <message>
        <source>&amp;Engine:</source>
        <translation>引擎(&amp;E)：</translation>
    </message>
    <message>
        <source>How many of the most likely tokens get a bar; every other token is in the &apos;others&apos; bar.</source>
        <translation>为多少个最可能的词元各画一根柱；其余词元都计入“其余”柱。</translation>
    </message>
    <message>
        <source>Blue: before; orange: after; grey: removed. Green line (right axis): the running sum of the blue bars, which top-p cuts. Dashed lines: the samplers&apos; cut-offs.</source>
        <translation>蓝色：之前；橙色：之后；灰色：被去掉。绿线（右轴）：蓝色柱的累计和，top-p 按它截断。虚线：各采样器的截断阈值。</translation>
    </message>
    <message>
        <source>Bars:</source>
        <translation>柱数：</translation>
    </message>
    <message>
        <source>&amp;Chain</source>
        <translation>采样链(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Four engines</source>
        <translation>四个引擎(&amp;F)</translation>
    </message>
    <message>
        <source>D&amp;raw</source>
        <translation>抽取(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Token list</source>
        <translation>词元列表(&amp;T)</translation>
    </message>
    <message>
        <source>The plan&apos;s sampling settings had problems (left out): {0}</source>
        <translation>计划中的采样设置有问题（已忽略）：{0}</translation>
    </message>
    <message>
        <source>Fetch a distribution from a running engine; the synthetic one is shown until then.</source>
        <translation>请从运行中的引擎获取分布；在此之前显示合成分布。</translation>
    </message>
    <message>
        <source>Synthetic Zipf–Mandelbrot distribution: {0} tokens, the top one at {1}, tail exponent {2:g}.</source>
        <translation>合成 Zipf–Mandelbrot 分布：{0} 个词元，最高词元 {1}，尾部指数 {2:g}。</translation>
    </message>
    <message>
        <source>Your token list: {0} tokens.</source>
        <translation>你的词元列表：{0} 个词元。</translation>
    </message>
    <message>
        <source>{0}: {1} tokens.</source>
        <translation>{0}：{1} 个词元。</translation>
    </message>
    <message>
        <source>They hold {0} of the probability; the other {1} is unlisted (the samplers run over the listed tokens).</source>
        <translation>它们占 {0} 的概率；其余 {1} 未列出（采样器只在列出的词元上运行）。</translation>
    </message>
    <message>
        <source>The engine chose {0}.</source>
        <translation>引擎选择了 {0}。</translation>
    </message>
    <message>
        <source> The engine chose {0}.</source>
        <translation> 引擎选择了 {0}。</translation>
    </message>
    <message>
        <source>Got {0} tokens holding {1} of the probability.{2}</source>
        <translation>得到 {0} 个词元，占 {1} 的概率。{2}</translation>
    </message>
    <message>
        <source>Asking {0}…</source>
        <translation>正在询问 {0}……</translation>
    </message>
    <message>
        <source>Fetching from {0}…</source>
        <translation>正在从 {0} 获取……</translation>
    </message>
    <message>
        <source>{0} refuses these settings: {1}. The last valid result stays on screen.</source>
        <translation>{0} 拒绝这些设置：{1}。屏幕上保留上一个有效结果。</translation>
    </message>
    <message>
        <source>{0} The last valid result stays on screen.</source>
        <translation>{0} 屏幕上保留上一个有效结果。</translation>
    </message>
    <message>
        <source>raw</source>
        <translation>原始</translation>
    </message>
    <message>
        <source>after {0}&apos;s chain</source>
        <translation>经 {0} 的采样链之后</translation>
    </message>
    <message>
        <source>The raw distribution (blue) and what {0} samples from after its whole chain (orange); grey bars are tokens the chain removed. Click a stage above to see what it alone did.</source>
        <translation>原始分布（蓝色）与 {0} 经过整条采样链后实际抽样的分布（橙色）；灰色柱是被采样链去掉的词元。点击上方某一阶段，可单独查看它的作用。</translation>
    </message>
    <message>
        <source>The cut-offs of {0} apply to logits an earlier stage changed: select the stage to see them.</source>
        <translation>{0} 的截断作用在前面阶段已改变的 logit 上：选中该阶段即可查看。</translation>
    </message>
    <message>
        <source>entering {0}</source>
        <translation>进入 {0}</translation>
    </message>
    <message>
        <source>leaving {0}</source>
        <translation>离开 {0}</translation>
    </message>
    <message>
        <source>{0}: the distribution entering it (blue) and leaving it (orange); grey bars are the tokens it removed ({1} of {2}).</source>
        <translation>{0}：进入它的分布（蓝色）与离开它的分布（橙色）；灰色柱是它去掉的词元（{2} 个中的 {1} 个）。</translation>
    </message>
    <message>
        <source>{0} is off here: {1}</source>
        <translation>{0} 此处关闭：{1}</translation>
    </message>
    <message>
        <source>top-p {0}: cut where the running sum reaches {1}</source>
        <translation>top-p {0}：在累计和达到 {1} 处截断</translation>
    </message>
    <message>
        <source>min-p {0} × p_max = {1}</source>
        <translation>min-p {0} × p_max = {1}</translation>
    </message>
    <message>
        <source>XTC threshold {0}</source>
        <translation>XTC 阈值 {0}</translation>
    </message>
    <message>
        <source>ε cut-off {0}</source>
        <translation>ε 截断 {0}</translation>
    </message>
    <message>
        <source>η cut-off {0}</source>
        <translation>η 截断 {0}</translation>
    </message>
    <message>
        <source>top-n-σ {0}: {1}</source>
        <translation>top-n-σ {0}：{1}</translation>
    </message>
    <message>
        <source>Mirostat: {0}</source>
        <translation>Mirostat：{0}</translation>
    </message>
    <message>
        <source>final</source>
        <translation>最终</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>已去掉</translation>
    </message>
    <message>
        <source>running sum (right axis)</source>
        <translation>累计和（右轴）</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>原始</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>最终</translation>
    </message>
    <message>
        <source>In</source>
        <translation>进</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>出</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Removed by</source>
        <translation>去掉者</translation>
    </message>
    <message>
        <source>The {0} tokens without a bar of their own</source>
        <translation>没有单独柱子的 {0} 个词元</translation>
    </message>
    <message>
        <source>others</source>
        <translation>其余</translation>
    </message>
    <message>
        <source>unlisted</source>
        <translation>未列出</translation>
    </message>
    <message>
        <source>Engine: {0} ({1})</source>
        <translation>引擎：{0}（{1}）</translation>
    </message>
    <message>
        <source>Settings set: {0}; everything else takes the engine&apos;s defaults.</source>
        <translation>已设置：{0}；其余均取引擎默认值。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Distribution: {0} ({1} tokens)</source>
        <translation>分布：{0}（{1} 个词元）</translation>
    </message>
    <message>
        <source>typed list</source>
        <translation>手动列表</translation>
    </message>
    <message>
        <source>Note: {0}</source>
        <translation>注：{0}</translation>
    </message>
    <message>
        <source>The chain, stage by stage</source>
        <translation>采样链，逐阶段</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Kept tokens</source>
        <translation>保留词元数</translation>
    </message>
    <message>
        <source>Entropy (bits)</source>
        <translation>熵（比特）</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Top tokens: raw and final probability</source>
        <translation>最可能的词元：原始概率与最终概率</translation>
    </message>
</context>
<context>
    <name>ScalingPanel</name>
    <message>
        <source>20 per parameter (Chinchilla)</source>
        <translation>每参数 20 个（Chinchilla）</translation>
    </message>
    <message>
        <source> billion tokens</source>
        <translation> 十亿 token</translation>
    </message>
    <message>
        <source>Training tokens D, in billions (10⁹). Llama 3 was trained on 15,000 billion. 0 uses Chinchilla&apos;s 20 tokens per parameter.</source>
        <translation>训练 token 数 D，单位为十亿（10⁹）。Llama 3 用了 15,000 十亿（15 万亿）。0 表示使用 Chinchilla 的每参数 20 个 token。</translation>
    </message>
    <message>
        <source>Chinchilla-optimal</source>
        <translation>Chinchilla 最优</translation>
    </message>
    <message>
        <source>Set the tokens to 20 per parameter, Chinchilla&apos;s compute-optimal ratio.</source>
        <translation>把 token 数设为每参数 20 个，即 Chinchilla 的计算最优比例。</translation>
    </message>
    <message>
        <source>&amp;Training tokens:</source>
        <translation>训练 token 数(&amp;T)：</translation>
    </message>
    <message>
        <source>Training compute (6·N·D)</source>
        <translation>训练计算量（6·N·D）</translation>
    </message>
    <message>
        <source>Floating-point operations to train: 6 per parameter per token (forward 2, backward 4; Kaplan et al. 2020).</source>
        <translation>训练所需的浮点运算：每参数每 token 6 次（前向 2 次，反向 4 次；Kaplan 等 2020）。</translation>
    </message>
    <message>
        <source>Tokens per parameter</source>
        <translation>每参数 token 数</translation>
    </message>
    <message>
        <source>D ÷ N. Chinchilla&apos;s compute-optimal models use about 20.</source>
        <translation>D ÷ N。Chinchilla 的计算最优模型约为 20。</translation>
    </message>
    <message>
        <source>Compute-optimal tokens</source>
        <translation>计算最优 token 数</translation>
    </message>
    <message>
        <source>Tokens that make this size compute-optimal: 20 per parameter (Hoffmann et al. 2022, Table 3) and the parametric fit (their Approach 3).</source>
        <translation>使该规模达到计算最优的 token 数：每参数 20 个（Hoffmann 等 2022，表 3）以及参数化拟合（其方法 3）。</translation>
    </message>
    <message>
        <source>Predicted loss</source>
        <translation>预测损失</translation>
    </message>
    <message>
        <source>Chinchilla&apos;s fit L = E + A/N^α + B/D^β, in nats per token on their MassiveText data; compare differences, not absolute values, with other datasets.</source>
        <translation>Chinchilla 拟合 L = E + A/N^α + B/D^β，单位为其 MassiveText 数据上的 nats/token；与其他数据集比较时请看差值而非绝对值。</translation>
    </message>
    <message>
        <source>Compute-optimal size for this budget</source>
        <translation>此预算下的计算最优规模</translation>
    </message>
    <message>
        <source>The parameter count Chinchilla&apos;s fit prefers for the same training compute.</source>
        <translation>相同训练计算量下 Chinchilla 拟合偏好的参数量。</translation>
    </message>
    <message>
        <source>Where this model sits</source>
        <translation>该模型的位置</translation>
    </message>
    <message>
        <source>Training past the compute optimum buys a smaller, cheaper-to-run model for more training compute; Llama 3 8B used about 1,900 tokens per parameter.</source>
        <translation>超过计算最优点继续训练，用更多训练计算量换来更小、运行更便宜的模型；Llama 3 8B 约为每参数 1,900 个 token。</translation>
    </message>
    <message>
        <source>{0}:</source>
        <translation>{0}：</translation>
    </message>
    <message>
        <source>Predicted loss of this model size against training tokens. Dot: the chosen tokens; dashed line: 20 tokens per parameter.</source>
        <translation>该规模模型的预测损失随训练 token 数的变化。圆点：所选 token 数；虚线：每参数 20 个 token。</translation>
    </message>
    <message>
        <source>{0} FLOP</source>
        <translation>{0} FLOP</translation>
    </message>
    <message>
        <source>{0} tokens (20 per parameter); {1} tokens (fit)</source>
        <translation>{0} token（每参数 20 个）；{1} token（拟合）</translation>
    </message>
    <message>
        <source>{0:.3f} nats/token (at the 20× optimum: {1:.3f})</source>
        <translation>{0:.3f} nats/token（20 倍最优点：{1:.3f}）</translation>
    </message>
    <message>
        <source>{0} parameters on {1} tokens</source>
        <translation>{0} 参数，{1} token</translation>
    </message>
    <message>
        <source>at the compute optimum</source>
        <translation>处于计算最优点</translation>
    </message>
    <message>
        <source>trained {0:.1f}× past the compute optimum (smaller and cheaper to run than a compute-optimal model of the same training cost)</source>
        <translation>训练量为计算最优点的 {0:.1f} 倍（比同等训练成本的计算最优模型更小、运行更便宜）</translation>
    </message>
    <message>
        <source>under-trained: {0:.0%} of the compute-optimal tokens</source>
        <translation>训练不足：仅为计算最优 token 数的 {0:.0%}</translation>
    </message>
    <message>
        <source>Mixture of experts: the Chinchilla fit is for dense models; compute counts the {0} active parameters.</source>
        <translation>混合专家：Chinchilla 拟合针对稠密模型；计算量按 {0} 个激活参数计。</translation>
    </message>
    <message>
        <source>Scaling law</source>
        <translation>缩放定律</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
</context>
<context>
    <name>StageStrip</name>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>logit bias</source>
        <translation>logit 偏置</translation>
    </message>
    <message>
        <source>penalties</source>
        <translation>惩罚</translation>
    </message>
    <message>
        <source>repetition</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>DRY</source>
        <translation>DRY</translation>
    </message>
    <message>
        <source>top-n-σ</source>
        <translation>top-n-σ</translation>
    </message>
    <message>
        <source>top-k</source>
        <translation>top-k</translation>
    </message>
    <message>
        <source>typical-p</source>
        <translation>typical-p</translation>
    </message>
    <message>
        <source>top-p</source>
        <translation>top-p</translation>
    </message>
    <message>
        <source>min-p</source>
        <translation>min-p</translation>
    </message>
    <message>
        <source>XTC</source>
        <translation>XTC</translation>
    </message>
    <message>
        <source>temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>ε cut-off</source>
        <translation>ε 截断</translation>
    </message>
    <message>
        <source>η cut-off</source>
        <translation>η 截断</translation>
    </message>
    <message>
        <source>Mirostat</source>
        <translation>Mirostat</translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>temp.</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} 个词元</translation>
    </message>
    <message>
        <source>{0:.2f} bits</source>
        <translation>{0:.2f} 比特</translation>
    </message>
    <message>
        <source>ppl {0}</source>
        <translation>困惑度 {0}</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>&lt;b&gt;The whole chain&lt;/b&gt;: the raw distribution against the final one.</source>
        <translation>&lt;b&gt;整条采样链&lt;/b&gt;：原始分布与最终分布对照。</translation>
    </message>
    <message>
        <source>{0} tokens, entropy {1:.3f} bits, perplexity {2}</source>
        <translation>{0} 个词元，熵 {1:.3f} 比特，困惑度 {2}</translation>
    </message>
    <message>
        <source>Keeps {0} tokens (removed {1}); entropy {2:.3f} bits, perplexity {3}.</source>
        <translation>保留 {0} 个词元（去掉 {1} 个）；熵 {2:.3f} 比特，困惑度 {3}。</translation>
    </message>
    <message>
        <source>Off: this stage changes nothing.</source>
        <translation>关闭：此阶段不做任何改变。</translation>
    </message>
    <message>
        <source>Source: {0}</source>
        <translation>来源：{0}</translation>
    </message>
</context>
<context>
    <name>TokenListEditor</name>
    <message>
        <source>Values: automatic</source>
        <translation>数值：自动判断</translation>
    </message>
    <message>
        <source>Values are logits</source>
        <translation>数值为 logit</translation>
    </message>
    <message>
        <source>Values are probabilities</source>
        <translation>数值为概率</translation>
    </message>
    <message>
        <source>Automatic reads the values as probabilities when all are between 0 and 1 and they sum to at most 1 (or use %), as logits otherwise. Probabilities that sum to less than 1 leave the rest as unlisted tokens.</source>
        <translation>自动：当所有数值都在 0 到 1 之间且总和不超过 1（或使用 %）时按概率读取，否则按 logit 读取。概率总和小于 1 时，其余部分视为未列出的词元。</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>One token per row. Quote tokens with spaces at their ends or special characters as JSON: &quot; Paris&quot;, &quot;\n&quot;. Ctrl+V pastes &apos;token: value&apos; lines.</source>
        <translation>每行一个词元。首尾有空格或含特殊字符的词元用 JSON 引号写：&quot; Paris&quot;、&quot;\n&quot;。Ctrl+V 粘贴“词元: 数值”行。</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Remove rows</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Paste lines</source>
        <translation>粘贴行</translation>
    </message>
    <message>
        <source>Replace the table with the &apos;token: value&apos; lines on the clipboard.</source>
        <translation>用剪贴板中的“词元: 数值”行替换表格内容。</translation>
    </message>
    <message>
        <source>Take the current distribution</source>
        <translation>取当前分布</translation>
    </message>
    <message>
        <source>Fill the table with the 50 most likely tokens of the distribution shown now, as probabilities, to edit them.</source>
        <translation>用当前显示分布中最可能的 50 个词元（以概率表示）填充表格，以便编辑。</translation>
    </message>
    <message>
        <source>Row {0}: {1}</source>
        <translation>第 {0} 行：{1}</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>What one GPU holds at the peak of a training step, in GiB; the dashed line is one GPU&apos;s memory.</source>
        <translation>一步训练峰值时单个 GPU 所需的内存（GiB）；虚线为单个 GPU 的内存。</translation>
    </message>
    <message>
        <source>Per GPU</source>
        <translation>每 GPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Optimizer states</source>
        <translation>优化器状态</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>Overhead</source>
        <translation>额外开销</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Trainable parameters</source>
        <translation>可训练参数</translation>
    </message>
    <message>
        <source>The model&apos;s weights this GPU holds: 16-bit under mixed precision; QLoRA&apos;s base in NF4.</source>
        <translation>此 GPU 保存的模型权重：混合精度下为 16 位；QLoRA 的底座为 NF4。</translation>
    </message>
    <message>
        <source>One gradient per trained weight, in the training dtype (only the adapters&apos; for LoRA).</source>
        <translation>每个受训权重一个梯度，使用训练数据类型（LoRA 只有适配器的梯度）。</translation>
    </message>
    <message>
        <source>The optimizer&apos;s state per trained weight plus the fp32 master copy of mixed precision.</source>
        <translation>每个受训权重的优化器状态，加上混合精度的 fp32 主权重副本。</translation>
    </message>
    <message>
        <source>What the forward pass keeps for the backward pass (Korthikanti et al. 2022, per layer).</source>
        <translation>前向计算为反向传播保留的内容（Korthikanti 等 2022，逐层计算）。</translation>
    </message>
    <message>
        <source>Buffers beyond those: ZeRO-3&apos;s gathered layer, QLoRA&apos;s dequantised weight.</source>
        <translation>此外的缓冲区：ZeRO-3 收集的层、QLoRA 反量化的权重。</translation>
    </message>
    <message>
        <source>The sum: what one GPU needs.</source>
        <translation>合计：单个 GPU 所需。</translation>
    </message>
    <message>
        <source>Weights the optimizer updates.</source>
        <translation>优化器更新的权重数量。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Rule of thumb:&lt;/b&gt; {0} parameters × {1} bytes × {2} = &lt;b&gt;{3}&lt;/b&gt;</source>
        <translation>&lt;b&gt;经验法则：&lt;/b&gt;{0} 个参数 × {1} 字节 × {2} = &lt;b&gt;{3}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>, or {0:.1f} GPUs of {1}</source>
        <translation>，即 {0:.1f} 个 {1} 的 GPU</translation>
    </message>
    <message>
        <source>The {0} bytes per parameter are full mixed-precision Adam as Megatron-LM counts it: 2 (bf16 weights) + 4 (fp32 gradients) + 12 (fp32 master weights and Adam&apos;s two moments); the {1} adds a flat 25% for everything else.</source>
        <translation>每个参数 {0} 字节是 Megatron-LM 对混合精度 Adam 的计法：2（bf16 权重）+ 4（fp32 梯度）+ 12（fp32 主权重和 Adam 的两个矩）；乘以 {1} 是为其余一切统一加 25%。</translation>
    </message>
    <message>
        <source>&lt;b&gt;This estimate:&lt;/b&gt; {0} of weights, gradients and optimizer states and {1} of activations per GPU, for a micro-batch of {2} × {3} tokens. Activations are not a flat 25%: they grow with the micro-batch and the sequence length and shrink with recomputation.</source>
        <translation>&lt;b&gt;本估算：&lt;/b&gt;每 GPU 权重、梯度和优化器状态 {0}，激活 {1}，微批次 {2} × {3} 个 token。激活并非固定的 25%：它随微批次和序列长度增长，随重算减少。</translation>
    </message>
    <message>
        <source>The rule assumes every weight is trained; LoRA and QLoRA train only the adapters on a frozen base, so it overstates them by far.</source>
        <translation>该法则假设训练所有权重；LoRA 和 QLoRA 只在冻结底座上训练适配器，因此它会大大高估。</translation>
    </message>
    <message>
        <source>ZeRO stage {0} splits {1} among the {2} data-parallel GPUs, which a per-GPU rule cannot express.</source>
        <translation>ZeRO 阶段 {0} 把{1}切分到 {2} 个数据并行 GPU 上，这是按单个 GPU 计算的法则无法表达的。</translation>
    </message>
    <message>
        <source>the optimizer states</source>
        <translation>优化器状态</translation>
    </message>
    <message>
        <source>optimizer states and gradients</source>
        <translation>优化器状态和梯度</translation>
    </message>
    <message>
        <source>optimizer states, gradients and weights</source>
        <translation>优化器状态、梯度和权重</translation>
    </message>
    <message>
        <source>&lt;b&gt;Fewest GPUs of this size that fit this setup:&lt;/b&gt; {0}.</source>
        <translation>&lt;b&gt;此配置所需的此种 GPU 最少数量：&lt;/b&gt;{0}。</translation>
    </message>
    <message>
        <source>&lt;b&gt;No number of these GPUs fits this setup&lt;/b&gt;: with ZeRO stage 0 every GPU holds a full copy; ZeRO, recomputation or a smaller micro-batch would help.</source>
        <translation>&lt;b&gt;多少个这种 GPU 都放不下此配置&lt;/b&gt;：ZeRO 阶段 0 时每个 GPU 保存完整副本；使用 ZeRO、重算或更小的微批次会有帮助。</translation>
    </message>
    <message>
        <source>&lt;b&gt;No number of these GPUs fits this setup&lt;/b&gt;: one micro-batch&apos;s activations alone do not fit.</source>
        <translation>&lt;b&gt;多少个这种 GPU 都放不下此配置&lt;/b&gt;：仅一个微批次的激活就放不下。</translation>
    </message>
    <message>
        <source>QLoRA pages its optimizer states to CPU memory under pressure.</source>
        <translation>内存紧张时，QLoRA 会把优化器状态换页到 CPU 内存。</translation>
    </message>
    <message>
        <source>Not included: the CUDA context and library workspaces, allocator fragmentation, communication buckets, optimizer-step temporaries.</source>
        <translation>未计入：CUDA 上下文和库工作区、分配器碎片、通信桶、优化器步骤的临时内存。</translation>
    </message>
</context>
</TS>
