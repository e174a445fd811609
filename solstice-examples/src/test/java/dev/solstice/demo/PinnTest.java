package dev.solstice.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The PINN example reaches its stated accuracy: relative L2 error below 2e-2 against the exact solution of
 * Poisson's equation (an independent closed form) after 400 Adam steps.
 */
class PinnTest {
    @Test
    void fitsPoissonsEquation() {
        Pinn.Result r = Pinn.run(400, null);
        assertTrue(r.relativeL2Error() < 2e-2, r.toString());
    }
}
