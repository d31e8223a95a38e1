package org.sealpost.lab.score;

/**
 * One attack's scores on one run (one seed): means over its queries.
 *
 * @param queries messages scored
 * @param top1 expected share whose true recipient ranks first (ties broken at random)
 * @param topK expected share whose true recipient is among the first k
 * @param entropyBits mean Shannon entropy H of the adversary's distribution (bits)
 * @param degree mean degree of anonymity H / log2 N (Díaz et al. 2002)
 * @param top1StdErr standard error of top1 over queries (binomial)
 * @param entropyStdErr standard error of entropyBits over queries
 */
public record Scores(
    int queries,
    double top1,
    double topK,
    double entropyBits,
    double degree,
    double top1StdErr,
    double entropyStdErr) {}
