/** Issue 11: direct vs two-hop (send and receive) delivery against two relay processes. */
package org.sealpost.benchmarks.twohop;
