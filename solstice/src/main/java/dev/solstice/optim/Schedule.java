package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import java.util.Map;
import java.util.TreeMap;

/**
 * A schedule: a value (usually a learning rate) as a function of the step count, which starts at 0 on the
 * first update. The factories follow Optax's schedule formulas.
 *
 * <p>Every schedule a factory builds can also be read at an int32 step count that is being traced (inside
 * {@code Jax.jit}, {@code Eqx.filterJit} or {@code vmap} over optimiser states): {@link #at(Array)} then
 * evaluates the same formula with array operations, branches as {@code Jnp.where}. A schedule written as a
 * lambda ({@code step -> ...}) only has the Java formula, so it works with concrete counts only.
 *
 * {@snippet lang=java :
 * Schedule lr = Schedule.warmupCosineDecay(0.0, 1.0, 10, 100, 0.1);
 * lr.at(0)   // 0.0
 * lr.at(10)   // 1.0
 * lr.at(100)   // 0.1
 * }
 */
@FunctionalInterface
public interface Schedule {
    /**
     * The value at a step.
     *
     * {@snippet lang=java :
     * Schedule lr = step -> 1.0 / (1 + step);
     * lr.at(3)   // 0.25
     * }
     *
     * @param step the number of updates made before this one (0 for the first)
     * @return the value
     */
    double at(int step);

    /**
     * The value at a step count held in an array: a float64 scalar. At a concrete count this is
     * {@code at((int) count.item())}; at a traced count (inside {@code jit} or {@code vmap}) the schedules the
     * factories build evaluate their formula with array operations, so that a jitted training step can read
     * them. A schedule written as a lambda has no such formula: on a traced count it throws
     * {@link IllegalStateException}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.linear(1.0, 0.0, 4);
     * s.at(Array.scalar(1))   // Array(float64[], 0.75)
     * Jax.jit((Array c) -> s.at(c)).apply(Array.scalar(3))   // Array(float64[], 0.25)
     * }
     *
     * @param count the number of updates made before this one, an int32 scalar
     * @return the value, a float64 scalar
     */
    default Array at(Array count) {
        Integer step = TracedSchedule.concreteValue(count);
        if (step == null) {
            throw new IllegalStateException("Schedule.at: this schedule is a Java lambda (double at(int)), which cannot be"
                    + " evaluated on a traced step count (" + count.aval().str() + ", inside jit or vmap); build it with the"
                    + " Schedule factories (constant, linear, cosineDecay, join, ...), which trace, or step outside jit");
        }
        return Array.scalar(at(step.intValue()));
    }

    /**
     * The same value at every step (Optax's {@code constant_schedule}).
     *
     * {@snippet lang=java :
     * Schedule.constant(0.1).at(1000)   // 0.1
     * }
     *
     * @param value the value
     * @return the schedule
     */
    static Schedule constant(double value) {
        return new TracedSchedule(step -> value, count -> Array.scalar(value));
    }

    /**
     * Linear interpolation from {@code initValue} to {@code endValue} over {@code transitionSteps} steps, then
     * {@code endValue} (Optax's {@code linear_schedule} with no delay).
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.linear(1.0, 0.0, 4);
     * s.at(1)   // 0.75
     * s.at(10)   // 0.0
     * }
     *
     * @param initValue the value at step 0
     * @param endValue the value from step {@code transitionSteps} on
     * @param transitionSteps the length of the transition; when not positive, the schedule is constant at
     *     {@code initValue} (as Optax)
     * @return the schedule
     */
    static Schedule linear(double initValue, double endValue, int transitionSteps) {
        return linear(initValue, endValue, transitionSteps, 0);
    }

    /**
     * Linear interpolation starting after {@code transitionBegin} steps at {@code initValue} (Optax's
     * {@code linear_schedule}): with {@code c = clip(step - transitionBegin, 0, transitionSteps)}, the value
     * is {@code (initValue - endValue) * (1 - c / transitionSteps) + endValue}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.linear(1.0, 0.0, 4, 2);
     * s.at(2)   // 1.0
     * s.at(4)   // 0.5
     * }
     *
     * @param initValue the value up to step {@code transitionBegin}
     * @param endValue the final value
     * @param transitionSteps the length of the transition; when not positive the schedule is constant at
     *     {@code initValue}
     * @param transitionBegin the number of steps at {@code initValue} before the transition (not negative)
     * @return the schedule
     */
    static Schedule linear(double initValue, double endValue, int transitionSteps, int transitionBegin) {
        return polynomial(initValue, endValue, 1.0, transitionSteps, transitionBegin);
    }

    /**
     * Polynomial interpolation (Optax's {@code polynomial_schedule}): with
     * {@code c = clip(step - transitionBegin, 0, transitionSteps)}, the value is
     * {@code (initValue - endValue) * (1 - c / transitionSteps)^power + endValue}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.polynomial(1.0, 0.0, 2.0, 4, 0);
     * s.at(2)   // 0.25
     * }
     *
     * @param initValue the value up to step {@code transitionBegin}
     * @param endValue the final value
     * @param power the exponent
     * @param transitionSteps the length of the transition; when not positive the schedule is constant at
     *     {@code initValue}
     * @param transitionBegin the number of steps before the transition starts (not negative)
     * @return the schedule
     */
    static Schedule polynomial(double initValue, double endValue, double power, int transitionSteps, int transitionBegin) {
        if (transitionBegin < 0) {
            throw new IllegalArgumentException("Schedule.polynomial: transitionBegin must not be negative, got " + transitionBegin);
        }
        if (transitionSteps <= 0) {
            return constant(initValue);
        }
        return new TracedSchedule(step -> {
            double c = Math.min(Math.max(step - transitionBegin, 0), transitionSteps);
            double frac = 1.0 - c / transitionSteps;
            return (initValue - endValue) * Math.pow(frac, power) + endValue;
        }, count -> {
            Array c = clipped(count.sub(Array.scalar(transitionBegin)), transitionSteps);
            Array frac = Jnp.subtract(1.0, c.div((double) transitionSteps));
            return Jnp.power(frac, power).mul(initValue - endValue).add(endValue);
        });
    }

    /**
     * Cosine decay from {@code initValue} to {@code alpha * initValue} over {@code decaySteps} steps, then
     * constant (Optax's {@code cosine_decay_schedule} with exponent 1): with
     * {@code c = min(step, decaySteps)}, the value is
     * {@code initValue * ((1 - alpha) * 0.5 * (1 + cos(pi c / decaySteps)) + alpha)}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.cosineDecay(1.0, 10, 0.0);
     * s.at(5)   // 0.5
     * s.at(10)   // 0.0
     * }
     *
     * @param initValue the value at step 0
     * @param decaySteps the length of the decay (positive)
     * @param alpha the final value as a fraction of {@code initValue}
     * @return the schedule
     */
    static Schedule cosineDecay(double initValue, int decaySteps, double alpha) {
        return cosineDecay(initValue, decaySteps, alpha, 1.0);
    }

    /**
     * Cosine decay with an exponent on the cosine factor (Optax's {@code cosine_decay_schedule}): the value is
     * {@code initValue * ((1 - alpha) * (0.5 * (1 + cos(pi c / decaySteps)))^exponent + alpha)} with
     * {@code c = min(step, decaySteps)}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.cosineDecay(1.0, 10, 0.0, 2.0);
     * s.at(5)   // 0.25
     * }
     *
     * @param initValue the value at step 0
     * @param decaySteps the length of the decay (positive)
     * @param alpha the final value as a fraction of {@code initValue}
     * @param exponent the exponent on the cosine factor
     * @return the schedule
     */
    static Schedule cosineDecay(double initValue, int decaySteps, double alpha, double exponent) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("Schedule.cosineDecay: decaySteps must be positive, got " + decaySteps);
        }
        return new TracedSchedule(step -> {
            double c = Math.min(Math.max(step, 0), decaySteps);
            double cos = 0.5 * (1 + Math.cos(Math.PI * c / decaySteps));
            return initValue * ((1 - alpha) * Math.pow(cos, exponent) + alpha);
        }, count -> Jnp.power(halfCosine(clipped(count, decaySteps), decaySteps), exponent).mul(1 - alpha).add(alpha)
                .mul(initValue));
    }

    /**
     * Linear warmup from {@code initValue} to {@code peakValue} over {@code warmupSteps}, then cosine decay
     * from {@code peakValue} to {@code endValue}, reached at step {@code decaySteps} (which counts the warmup,
     * as in Optax's {@code warmup_cosine_decay_schedule}). From step {@code warmupSteps} on, the value is
     * {@code (peakValue - endValue) * 0.5 * (1 + cos(pi c / (decaySteps - warmupSteps))) + endValue} with
     * {@code c = min(step - warmupSteps, decaySteps - warmupSteps)}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.warmupCosineDecay(0.0, 1.0, 10, 110, 0.0);
     * s.at(5)   // 0.5
     * s.at(60)   // 0.5
     * }
     *
     * @param initValue the value at step 0
     * @param peakValue the value at step {@code warmupSteps}
     * @param warmupSteps the warmup length (not negative)
     * @param decaySteps the total length of warmup and decay (greater than {@code warmupSteps})
     * @param endValue the final value
     * @return the schedule
     */
    static Schedule warmupCosineDecay(double initValue, double peakValue, int warmupSteps, int decaySteps, double endValue) {
        return warmupCosineDecay(initValue, peakValue, warmupSteps, decaySteps, endValue, 1.0);
    }

    /**
     * {@link #warmupCosineDecay(double, double, int, int, double)} with an exponent on the cosine factor (as
     * Optax's {@code exponent}): after the warmup the value is
     * {@code (peakValue - endValue) * (0.5 * (1 + cos(pi c / (decaySteps - warmupSteps))))^exponent + endValue}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.warmupCosineDecay(0.0, 1.0, 10, 110, 0.0, 2.0);
     * s.at(60)   // 0.25
     * }
     *
     * @param initValue the value at step 0
     * @param peakValue the value at step {@code warmupSteps}
     * @param warmupSteps the warmup length (not negative)
     * @param decaySteps the total length of warmup and decay (greater than {@code warmupSteps})
     * @param endValue the final value
     * @param exponent the exponent on the cosine factor
     * @return the schedule
     */
    static Schedule warmupCosineDecay(double initValue, double peakValue, int warmupSteps, int decaySteps, double endValue,
            double exponent) {
        if (warmupSteps < 0 || decaySteps <= warmupSteps) {
            throw new IllegalArgumentException("Schedule.warmupCosineDecay: needs 0 <= warmupSteps < decaySteps, got warmupSteps "
                    + warmupSteps + " and decaySteps " + decaySteps);
        }
        Schedule warm = linear(initValue, peakValue, warmupSteps);
        int n = decaySteps - warmupSteps;
        Schedule decay = new TracedSchedule(step -> {
            double c = Math.min(Math.max(step, 0), n);
            return (peakValue - endValue) * Math.pow(0.5 * (1 + Math.cos(Math.PI * c / n)), exponent) + endValue;
        }, count -> Jnp.power(halfCosine(clipped(count, n), n), exponent).mul(peakValue - endValue).add(endValue));
        return join(new Schedule[] {warm, decay}, new int[] {warmupSteps});
    }

    /**
     * Exponential decay (Optax's {@code exponential_decay} without a delay, floor or ceiling):
     * {@code initValue * decayRate^(step / transitionSteps)}, with the exponent rounded down when
     * {@code staircase}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.exponentialDecay(1.0, 10, 0.5, true);
     * s.at(15)   // 0.5
     * Schedule.exponentialDecay(1.0, 10, 0.5, false).at(20)   // 0.25
     * }
     *
     * @param initValue the value at step 0
     * @param transitionSteps the steps over which the value is multiplied by {@code decayRate}; when not
     *     positive the schedule is constant at {@code initValue}
     * @param decayRate the factor per {@code transitionSteps} steps
     * @param staircase whether to decay in discrete jumps
     * @return the schedule
     */
    static Schedule exponentialDecay(double initValue, int transitionSteps, double decayRate, boolean staircase) {
        return exponentialDecay(initValue, transitionSteps, decayRate, 0, staircase, Double.NaN);
    }

    /**
     * Exponential decay (Optax's {@code exponential_decay}): constant at {@code initValue} for
     * {@code transitionBegin} steps, then {@code initValue * decayRate^(p)} with
     * {@code p = (step - transitionBegin) / transitionSteps} (rounded down when {@code staircase}), bounded
     * below by {@code endValue} when {@code decayRate < 1} or above when {@code decayRate > 1}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.exponentialDecay(1.0, 10, 0.5, 5, false, 0.3);
     * s.at(5)   // 1.0
     * s.at(100)   // 0.3
     * }
     *
     * @param initValue the starting value
     * @param transitionSteps the steps per factor of {@code decayRate}; when not positive the schedule is
     *     constant at {@code initValue}
     * @param decayRate the factor per {@code transitionSteps} steps (not zero)
     * @param transitionBegin the number of steps before the decay starts (not negative)
     * @param staircase whether to decay in discrete jumps
     * @param endValue the bound on the value, or {@code NaN} for none
     * @return the schedule
     */
    static Schedule exponentialDecay(double initValue, int transitionSteps, double decayRate, int transitionBegin,
            boolean staircase, double endValue) {
        if (transitionSteps <= 0) {
            return constant(initValue);
        }
        if (decayRate == 0) {
            throw new IllegalArgumentException("Schedule.exponentialDecay: decayRate must not be 0");
        }
        if (transitionBegin < 0) {
            throw new IllegalArgumentException("Schedule.exponentialDecay: transitionBegin must not be negative, got "
                    + transitionBegin);
        }
        return new TracedSchedule(step -> {
            double d = step - transitionBegin;
            if (d <= 0) {
                return initValue;
            }
            double p = d / transitionSteps;
            if (staircase) {
                p = Math.floor(p);
            }
            double v = initValue * Math.pow(decayRate, p);
            if (!Double.isNaN(endValue)) {
                v = decayRate < 1 ? Math.max(v, endValue) : Math.min(v, endValue);
            }
            return v;
        }, count -> {
            Array d = count.sub(Array.scalar(transitionBegin)).astype(DType.FLOAT64);
            Array p = d.div((double) transitionSteps);
            if (staircase) {
                p = Jnp.floor(p);
            }
            Array v = Jnp.power(Array.scalar(decayRate), p).mul(initValue);
            if (!Double.isNaN(endValue)) {
                v = decayRate < 1 ? Jnp.maximum(v, endValue) : Jnp.minimum(v, endValue);
            }
            return Jnp.where(Jnp.lessEqual(d, 0.0), Array.scalar(initValue), v);
        });
    }

    /**
     * A piecewise-constant schedule (Optax's {@code piecewise_constant_schedule}): {@code initValue} times the
     * product of the scales of every boundary {@code b} with {@code step >= b}.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.piecewiseConstant(1.0, Map.of(10, 0.1, 20, 0.5));
     * s.at(9)   // 1.0
     * s.at(25)   // 0.05
     * }
     *
     * @param initValue the value before the first boundary
     * @param boundariesAndScales boundary steps mapped to the factor applied from that step on
     * @return the schedule
     */
    static Schedule piecewiseConstant(double initValue, Map<Integer, Double> boundariesAndScales) {
        TreeMap<Integer, Double> sorted = new TreeMap<>(boundariesAndScales);
        for (Map.Entry<Integer, Double> e : sorted.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("Schedule.piecewiseConstant: scales must not be negative, got " + e.getValue()
                        + " at boundary " + e.getKey());
            }
        }
        return new TracedSchedule(step -> {
            double v = initValue;
            for (Map.Entry<Integer, Double> e : sorted.entrySet()) {
                if (step >= e.getKey()) {
                    v *= e.getValue();
                }
            }
            return v;
        }, count -> {
            Array v = Array.scalar(initValue);
            for (Map.Entry<Integer, Double> e : sorted.entrySet()) {
                v = Jnp.where(Jnp.greaterEqual(count, Array.scalar(e.getKey().intValue())), v.mul(e.getValue()), v);
            }
            return v;
        });
    }

    /**
     * Schedules run one after another (Optax's {@code join_schedules}): schedule {@code i + 1} takes over at
     * {@code boundaries[i]} and is called with the steps counted from that boundary.
     *
     * {@snippet lang=java :
     * Schedule s = Schedule.join(new Schedule[] {Schedule.constant(1.0), Schedule.linear(1.0, 0.0, 10)}, new int[] {5});
     * s.at(4)   // 1.0
     * s.at(10)   // 0.5
     * }
     *
     * @param schedules the schedules, one more than the boundaries
     * @param boundaries increasing steps where the next schedule takes over
     * @return the joined schedule
     */
    static Schedule join(Schedule[] schedules, int[] boundaries) {
        if (schedules.length != boundaries.length + 1) {
            throw new IllegalArgumentException("Schedule.join: needs one more schedule than boundaries, got " + schedules.length
                    + " schedules and " + boundaries.length + " boundaries");
        }
        Schedule[] s = schedules.clone();
        int[] b = boundaries.clone();
        return new TracedSchedule(step -> {
            int k = 0;
            while (k < b.length && step >= b[k]) {
                k++;
            }
            return s[k].at(k == 0 ? step : step - b[k - 1]);
        }, count -> {
            // Schedule k + 1 is active when the count has passed boundaries 0..k: at or past their running maximum.
            Array v = s[0].at(count);
            int passed = Integer.MIN_VALUE;
            for (int k = 0; k < b.length; k++) {
                passed = Math.max(passed, b[k]);
                Array next = s[k + 1].at(count.sub(Array.scalar(b[k])));
                v = Jnp.where(Jnp.greaterEqual(count, Array.scalar(passed)), next, v);
            }
            return v;
        });
    }

    /** {@code min(max(count, 0), hi)} of an int32 count, as float64 (the Java formulas clip in int). */
    private static Array clipped(Array count, int hi) {
        return Jnp.minimum(Jnp.maximum(count, Array.scalar(0)), Array.scalar(hi)).astype(DType.FLOAT64);
    }

    /** {@code 0.5 * (1 + cos(pi c / n))} in the Java formulas' order of operations. */
    private static Array halfCosine(Array c, int n) {
        return Jnp.cos(c.mul(Math.PI).div((double) n)).add(1.0).mul(0.5);
    }
}
