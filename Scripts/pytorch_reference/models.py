"""The course's mixtures, written as plain PyTorch modules, for the reference benchmark.

Every model creates its parameters in the same order as the Swift benchmark builds them: the experts
first (in index order, each expert's layers in order), then the gate, then anything else. All layers
keep PyTorch's default initialisation, so `torch.manual_seed(0)` before construction fixes a model.
"""
import torch
from torch import nn


def feed_forward(inputs, hidden, outputs):
    """An expert: Linear(inputs, hidden) - ReLU - Linear(hidden, outputs)."""
    return nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, outputs))


class DenseMixture(nn.Module):
    """y = sum_e g_e(x) E_e(x) with g(x) = softmax(W x + b): every expert runs on every input
    (Jacobs et al. 1991). The experts' outputs are stacked to [B, E, O] and weighted by g as [B, E, 1]."""

    def __init__(self, inputs, hidden, outputs, experts):
        super().__init__()
        self.experts = nn.ModuleList(feed_forward(inputs, hidden, outputs) for _ in range(experts))
        self.gate = nn.Linear(inputs, experts)

    def forward(self, x):
        weights = torch.softmax(self.gate(x), dim=-1)
        outputs = torch.stack([expert(x) for expert in self.experts], dim=1)
        return (weights.unsqueeze(-1) * outputs).sum(dim=1)


class TopKMixture(nn.Module):
    """Top-k routing (Shazeer et al. 2017, without noise): v, i = topk(W x + b, k), w = softmax(v),
    y = sum_j w_j E_{i_j}(x). Four ways to compute the same y, timed against each other."""

    def __init__(self, width, hidden, experts, k):
        super().__init__()
        self.expert_count, self.k = experts, k
        self.experts = nn.ModuleList(feed_forward(width, hidden, width) for _ in range(experts))
        self.gate = nn.Linear(width, experts)

    def route(self, x):
        scores, experts = torch.topk(self.gate(x), self.k, dim=-1)
        return torch.softmax(scores, dim=-1), experts

    def forward_naive(self, x):
        """Every expert on every token, then a gather of the k chosen rows."""
        weights, experts = self.route(x)
        outputs = torch.stack([expert(x) for expert in self.experts], dim=1)  # [B, E, d]
        index = experts.unsqueeze(-1).expand(-1, -1, x.shape[1])
        return (torch.gather(outputs, 1, index) * weights.unsqueeze(-1)).sum(dim=1)

    def forward_sparse_mask(self, x):
        """For each expert, the (token, slot) pairs that chose it, found by a mask."""
        weights, experts = self.route(x)
        y = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            tokens, slots = (experts == e).nonzero(as_tuple=True)
            if tokens.numel():
                contribution = expert(x.index_select(0, tokens)) * weights[tokens, slots].unsqueeze(1)
                y = y.index_add(0, tokens, contribution)
        return y

    def forward_sparse_sorted(self, x):
        """One stable sort of the B*k pairs by expert, a contiguous slice per expert, one index_add."""
        weights, experts = self.route(x)
        flat = experts.reshape(-1)
        order = torch.argsort(flat, stable=True)
        tokens = torch.div(order, self.k, rounding_mode="floor")
        sorted_weights = weights.reshape(-1)[order]
        counts = torch.bincount(flat, minlength=self.expert_count).tolist()
        gathered = x.index_select(0, tokens)
        pieces, start = [], 0
        for expert, count in zip(self.experts, counts):
            if count:
                pieces.append(expert(gathered[start:start + count]))
            start += count
        contribution = torch.cat(pieces, 0) * sorted_weights.unsqueeze(1)
        return torch.zeros_like(x).index_add(0, tokens, contribution)

    def forward_dense(self, x):
        """Softmax over all E experts, every expert on every token (the dense reference)."""
        weights = torch.softmax(self.gate(x), dim=-1)
        outputs = torch.stack([expert(x) for expert in self.experts], dim=1)
        return (weights.unsqueeze(-1) * outputs).sum(dim=1)


class LSTMMixture(nn.Module):
    """W5: Embedding(10000, 100); 5 LSTM(100, 128) experts; a gate Linear(100, 5) on the mean
    embedding; the gate-weighted sum of the experts' last hidden states; Linear(128, 3)."""

    def __init__(self, vocabulary=10000, embedding=100, hidden=128, experts=5, classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding)
        self.experts = nn.ModuleList(nn.LSTM(embedding, hidden, batch_first=True) for _ in range(experts))
        self.gate = nn.Linear(embedding, experts)
        self.classifier = nn.Linear(hidden, classes)

    def forward(self, tokens):
        embedded = self.embedding(tokens)
        weights = torch.softmax(self.gate(embedded.mean(dim=1)), dim=-1)
        last = torch.stack([lstm(embedded)[1][0][-1] for lstm in self.experts], dim=1)  # [B, E, H]
        return self.classifier((weights.unsqueeze(-1) * last).sum(dim=1))


class ConvolutionFeatures(nn.Module):
    """28x28: Conv(1,16,3,p1)-ReLU-MaxPool2-Conv(16,32,3,p1)-ReLU-MaxPool2 -> 1568 features.
    8x8: Conv(1,16,3,p1)-ReLU-Conv(16,32,3,p1)-ReLU-MaxPool2 -> 512 features."""

    def __init__(self, side):
        super().__init__()
        self.pool_first = side == 28
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.size = 32 * 7 * 7 if side == 28 else 32 * 4 * 4

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        if self.pool_first:
            x = nn.functional.max_pool2d(x, 2)
        x = nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)
        return x.flatten(1)


class ConvolutionMixture(nn.Module):
    """W6: convolution features (created first), then a dense mixture of 5 experts
    Linear(F, 64)-ReLU-Linear(64, 10) with a gate Linear(F, 5)."""

    def __init__(self, side, experts=5, classes=10):
        super().__init__()
        self.features = ConvolutionFeatures(side)
        self.mixture = DenseMixture(self.features.size, 64, classes, experts)

    def forward(self, x):
        return self.mixture(self.features(x))


class HierarchicalMixture(nn.Module):
    """W7: y = sum_i g_i(x) sum_j g_ij(x) E_ij(x); a top gate Linear(10, 3) over 3 groups, each a
    dense mixture of 2 experts Linear(10, 20)-ReLU-Linear(20, 5) (Jordan and Jacobs 1994)."""

    def __init__(self, inputs=10, hidden=20, outputs=5, groups=3, experts_per_group=2):
        super().__init__()
        self.groups = nn.ModuleList(DenseMixture(inputs, hidden, outputs, experts_per_group) for _ in range(groups))
        self.gate = nn.Linear(inputs, groups)

    def forward(self, x):
        weights = torch.softmax(self.gate(x), dim=-1)
        outputs = torch.stack([group(x) for group in self.groups], dim=1)
        return (weights.unsqueeze(-1) * outputs).sum(dim=1)
