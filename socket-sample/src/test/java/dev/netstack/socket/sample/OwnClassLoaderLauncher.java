package dev.netstack.socket.sample;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a main class with the application's libraries on a class loader of their own, as a packaged Spring Boot
 * application runs ({@code java -jar}): the system class loader sees none of them, so the JDK, which looks for
 * services such as a {@code System.LoggerFinder} there only, finds none.
 */
final class OwnClassLoaderLauncher {

    private OwnClassLoaderLauncher() {
    }

    /**
     * Starts the application.
     * @param args the application's class path, its main class, then its arguments
     */
    public static void main(String[] args) throws Throwable {
        List<URL> urls = new ArrayList<>();
        for (String entry : args[0].split(File.pathSeparator)) {
            urls.add(toUrl(entry));
        }
        ClassLoader application = new URLClassLoader("application", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(application);
        try {
            application.loadClass(args[1])
                .getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    private static URL toUrl(String entry) throws MalformedURLException {
        return Path.of(entry).toUri().toURL();
    }

}
