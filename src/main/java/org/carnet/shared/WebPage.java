package org.carnet.shared;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Controller;

/**
 * A controller of server-rendered pages. Its errors render as pages (see {@link PageAdvice}) and
 * its views get the layout's model (language links, who is signed in); API controllers are left to
 * {@link ApiProblems}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Controller
public @interface WebPage {}
