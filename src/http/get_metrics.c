/* GET /metrics: Prometheus text exposition. */
#include "handlers.h"

void get_metrics(struct req *r)
{
    size_t len = 0;
    char *text = metrics_render(metrics_daemon, &len);
    if (!text) {
        reply_problem(r, SD_E_INTERNAL, NULL);
        return;
    }
    reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}
