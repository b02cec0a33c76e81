#!/usr/bin/python3
"""PyTorch peer for Janus's eager training speed: LeNet-style CNN training steps per second.

Same architecture, initialization scheme (PyTorch defaults), optimizer (SGD, lr 0.01, momentum 0.9) and
batch size (64) as Janus's eager LeNet training step (`TracedVsEagerBenchmark.trainEager`, workload
`lenet_train`, which replaced `LeNetTrainBenchmark`; `torch_workloads.py` measures it too, with the rest of the suite). Data is random (N(0,1) images, random labels): speed does
not depend on the values.

    /usr/bin/python3 benchmarks/peers/torch_lenet_train.py [--threads 2] [--steps 300] [--out FILE]
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.flatten(1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "torch_lenet_train.json"))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = LeNet()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(64, 1, 28, 28)
    y = torch.randint(0, 10, (64,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(50):
        step()
    rates = []
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step()
        rates.append(a.steps / (time.perf_counter() - t0))
    result = {"torch": torch.__version__, "threads": a.threads, "workload": "lenet_train_step_b64",
              "unit": "steps/s", "median": statistics.median(rates), "max": max(rates), "samples": rates}
    print(json.dumps(result, indent=2))
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
