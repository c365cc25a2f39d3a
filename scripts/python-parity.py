#!/usr/bin/env python3
"""Runs a Dojo model directory (and optionally a PEFT adapter) in PyTorch and prints its logits.

Used by test/interop/python-parity.test.ts, which compares the numbers with Dojo's own forward
pass. Needs torch, transformers and peft (scripts/setup-python.sh installs them).

    python scripts/python-parity.py --model DIR [--adapter ADAPTER_DIR] --ids '[[1, 5, 6], [1, 7, 7]]'

The model loads as transformers' LlamaForCausalLM from DIR's config.json + model.safetensors
(float32, eager attention); the adapter as peft.PeftModel.from_pretrained(model, ADAPTER_DIR).
Every sequence in --ids must have the same length; no attention mask is passed (causal only, as
Dojo's forward computes). Prints one JSON object on stdout:

    {"versions": {...}, "base": [[[logit, ...] per position] per sequence],
     "adapted": ... (with --adapter), "merged": ... (with --adapter: after merge_and_unload)}
"""

import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="model directory written by Dojo's saveModel")
    parser.add_argument("--adapter", help="adapter directory written by Dojo's saveAdapter (PEFT layout)")
    parser.add_argument("--ids", required=True, help="JSON list of equal-length token-id lists")
    args = parser.parse_args()

    import peft
    import torch
    import transformers
    from transformers import LlamaForCausalLM

    torch.manual_seed(0)
    ids = json.loads(args.ids)
    if not ids or len({len(seq) for seq in ids}) != 1:
        print("--ids must be a non-empty list of equal-length lists", file=sys.stderr)
        return 2
    input_ids = torch.tensor(ids, dtype=torch.long)

    # No dtype argument: the keyword changed name across transformers versions (torch_dtype ->
    # dtype); Dojo saves F32 and config.json says float32, and .float() makes sure of it.
    model = LlamaForCausalLM.from_pretrained(args.model, attn_implementation="eager").float()
    model.eval()

    def logits(m) -> list:
        with torch.no_grad():
            return m(input_ids=input_ids).logits.to(torch.float32).tolist()

    out = {
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__},
        "base": logits(model),
    }
    if args.adapter:
        from peft import PeftModel

        adapted = PeftModel.from_pretrained(model, args.adapter)
        adapted.eval()
        out["adapted"] = logits(adapted)
        out["merged"] = logits(adapted.merge_and_unload())
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
