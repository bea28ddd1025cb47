package io.unichannel.survey.service;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.unichannel.survey.ContactPolicy;
import io.unichannel.survey.SurveyDefinitions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The survey definitions in force: the shipped questionnaires.json unless the operator names a file (read and checked at start). */
@ApplicationScoped
public class SurveyCatalog {

    private final SurveyDefinitions definitions;
    private final ContactPolicy policy;

    public SurveyCatalog(ObjectMapper json, @ConfigProperty(name = "survey.questionnaires-file") Optional<String> file) {
        this.definitions = SurveyDefinitions.read(file, json);
        this.policy = new ContactPolicy(definitions);
        Log.infof("Survey definitions %s: %d questionnaires", definitions.version(), definitions.questionnaires().size());
    }

    /** Read at start: a file with a mistake stops the service instead of failing its first survey. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        Log.debugf("Survey definitions %s in force", definitions.version());
    }

    public SurveyDefinitions definitions() {
        return definitions;
    }

    public ContactPolicy policy() {
        return policy;
    }
}
