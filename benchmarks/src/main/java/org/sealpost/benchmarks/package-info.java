/** Sealpost benchmarks module. */
package org.sealpost.benchmarks;
