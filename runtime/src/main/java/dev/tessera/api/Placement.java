package dev.tessera.api;

/**
 * Where a kernel runs for a given shape, and why: the device id ({@code reference} for the interpreter), the
 * schedule of each of its device kernels, and the reason in words (tuned, untuned, chosen by the user).
 */
public record Placement(String device, String schedule, String reason) {}
