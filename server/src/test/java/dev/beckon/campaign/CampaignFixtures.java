package dev.beckon.campaign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beckon.Json;
import dev.beckon.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;

/** Campaign definitions and admin API calls shared by the campaign tests. */
final class CampaignFixtures {

    /** The example of docs/campaigns.md, with single quotes. */
    static final String EXAMPLE = """
            {'name': 'Help with shoes', 'kind': 'nudge', 'priority': 10,
             'audience': {'segment': null, 'rolloutPercent': 100, 'controlPercent': 0},
             'schedule': {'start': null, 'end': null},
             'trigger': {
               'on': {'kind': 'without', 'event': 'PRODUCT_TAPPED', 'seconds': 20, 'path': '/demo/shoes*'},
               'condition': {'did': {'event': 'PRODUCT_VIEWED', 'count': {'atLeast': 5},
                             'where': [{'property': 'category', 'op': 'eq', 'value': 'shoes'}],
                             'window': {'last': 3, 'unit': 'days'}}}},
             'caps': {'total': 3, 'perSession': 1, 'perDay': 1, 'cooldownSeconds': 3600,
                      'stopAfterDismiss': true, 'stopAfterGoal': true},
             'content': {
               'layout': 'modal', 'title': 'Hi {username|there}, can\\u0027t find your shoes?',
               'body': 'Our <b>guide</b> helps you pick.', 'image': 'https://example.com/shoe.png',
               'anchor': null, 'position': 'bottom',
               'theme': {'accent': '#2457ff', 'background': '#ffffff', 'text': '#111111'},
               'buttons': [{'label': 'Open the guide', 'action': 'url', 'url': '/demo/guide?u={userId|}'},
                           {'label': 'No thanks', 'action': 'dismiss'}]},
             'goal': {'event': 'ADD_TO_CART', 'where': [], 'windowHours': 24, 'after': 'shown'},
             'testDevices': ['d-1234']}
            """;

    /** The example of docs/surveys.md, with single quotes. */
    static final String SURVEY = """
            {'name': 'How was checking out?', 'kind': 'survey', 'priority': 0,
             'audience': {'segment': null, 'rolloutPercent': 100, 'controlPercent': 0},
             'schedule': {'start': null, 'end': null},
             'trigger': {'on': {'kind': 'event', 'event': 'SOFT_BACK_PRESSED'}},
             'caps': {'total': 1, 'stopAfterDismiss': true},
             'content': {
               'layout': 'modal',
               'theme': {'accent': '#2457ff', 'background': '#ffffff', 'text': '#111111'},
               'intro': {'title': 'Two quick questions', 'body': 'It takes ten seconds.', 'button': 'Start'},
               'questions': [
                 {'id': 'nps', 'type': 'nps', 'text': 'How likely are you to recommend us, {username|}?',
                  'required': true, 'lowLabel': 'Not at all', 'highLabel': 'Very likely',
                  'logic': [{'if': {'op': 'gte', 'value': 9}, 'goTo': 'end'}]},
                 {'id': 'why', 'type': 'single', 'text': 'What held you back?', 'required': false,
                  'choices': ['Price', 'Delivery time', 'Choice of sizes'], 'other': true},
                 {'id': 'stars', 'type': 'rating', 'scale': 'stars', 'text': 'Rate the checkout', 'required': false},
                 {'id': 'wish', 'type': 'text', 'long': true, 'text': 'Anything else?', 'required': false,
                  'placeholder': 'Tell us', 'maxLength': 2000}
               ],
               'thanks': {'title': 'Thank you!', 'body': 'We read every answer.'}},
             'goal': null,
             'testDevices': []}
            """;

    private CampaignFixtures() {}

    /** A fresh copy of the survey example. */
    static ObjectNode survey() {
        return json(SURVEY);
    }

    /** A fresh copy of the example. */
    static ObjectNode example() {
        return json(EXAMPLE);
    }

    /** A campaign for everyone, shown on a page view, without condition or goal. */
    static ObjectNode simple(String name) {
        return json("{'name': '" + name + "', 'trigger': {'on': {'kind': 'pageView'}},"
                + " 'content': {'layout': 'banner', 'position': 'top', 'title': 'Hello'}}");
    }

    static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) Json.mapper().readTree(singleQuoted.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestServer.Response send(TestServer server, String method, String path, String body) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Creates the campaign under the id and expects 201. */
    static ObjectNode create(TestServer server, String id, ObjectNode campaign) {
        campaign.put("id", id);
        var answer = send(server, "POST", "/api/v1/sites/demo/campaigns", campaign.toString());
        if (answer.status() != 201) {
            throw new AssertionError("creating " + id + " answered " + answer.status() + ": " + answer.body());
        }
        return (ObjectNode) answer.json();
    }

    /** Publishes the campaign and expects 200. */
    static ObjectNode publish(TestServer server, String id) {
        var answer = send(server, "POST", "/api/v1/sites/demo/campaigns/" + id + "/publish", "");
        if (answer.status() != 200) {
            throw new AssertionError("publishing " + id + " answered " + answer.status() + ": " + answer.body());
        }
        return (ObjectNode) answer.json();
    }
}
