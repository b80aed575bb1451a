"""FedNC on Flower: a ServerApp and a ClientApp that run `fednc-train`'s step commands (see ../README.md)."""
