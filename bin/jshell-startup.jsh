// Solstice's JShell startup (bin/jshell): the public packages, and the JDK's usual ones.
import java.util.*;
import java.util.function.*;
import java.util.stream.*;
import java.nio.file.*;
import dev.solstice.*;
import dev.solstice.nn.*;
import dev.solstice.optim.*;
import dev.solstice.tree.*;
import dev.solstice.curvature.*;
// java.lang.Module would make the simple name ambiguous
import dev.solstice.nn.Module;
