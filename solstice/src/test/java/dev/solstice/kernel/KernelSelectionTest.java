package dev.solstice.kernel;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.solstice.kernel.vector.VectorKernels;
import org.junit.jupiter.api.Test;

/** How the kernels are chosen at start-up, and that only their package touches the Vector API. */
class KernelSelectionTest {

    @Test
    void theTestJvmHasTheModuleSoTheVectorKernelsAreInUse() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the build runs the tests with --add-modules jdk.incubator.vector");
        assertSame(VectorKernels.INSTANCE, Kernels.get());
    }

    @Test
    void thePropertyForcesEitherImplementation() {
        assertSame(JavaKernels.INSTANCE, KernelSelection.choose("java"));
        assertSame(VectorKernels.INSTANCE, KernelSelection.choose("vector"));
        assertSame(VectorKernels.INSTANCE, KernelSelection.choose("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelSelection.choose("fast"));
        assertTrue(e.getMessage().contains("solstice.kernels=fast") && e.getMessage().contains("java or vector"),
                e.getMessage());
    }

    @Test
    void onlyTheVectorPackageImportsTheVectorApi() {
        noClasses().that().resideOutsideOfPackage("dev.solstice.kernel.vector..")
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.solstice"));
    }
}
