/**
 * LoRA on DJL (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models",
 * arXiv:2106.09685): {@link io.github.hidlr.djl.lora.LoRALinear} computes
 * {@code y = x W₀ᵀ + b + (α/r) · (x Aᵀ) Bᵀ} with a frozen base {@code W₀, b}, and
 * {@link io.github.hidlr.djl.lora.LoRA} turns the {@code Linear} layers of a trained network
 * into such layers. {@link io.github.hidlr.djl.lora.LoRAGroups} gives the name patterns that
 * select the {@code A}, {@code B} and head groups, so that the Hi-DLR tuner, like LoRA+ (Hayou
 * et al. 2024, arXiv:2402.12354), can give {@code A} and {@code B} different learning rates.
 */
package io.github.hidlr.djl.lora;
