/// The viewer page's HTML and CSS around its data and script.
enum ViewerTemplate {
    /// Where the frames' data elements go: the first frame before the script, the others after it.
    static let framesMarker = "<!--tessera-frames-->"

    static func page(title: String, data: String, script: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · tessera</title>
        <style>
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0; background: #f6f6f4; }
        main { max-width: 1720px; margin: 0 auto; padding: 10px 18px 12px; }
        h1 { font-size: 20px; font-weight: 600; margin: 4px 0 2px; }
        .sub { color: #666; font-size: 12px; margin-bottom: 8px; }
        .controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin: 6px 0 8px; }
        .controls input[type=range] { flex: 1 1 120px; min-width: 100px; max-width: 320px; }
        .controls label, .controls button { white-space: nowrap; }
        /* The partition is the page's main thing: it takes the window's height beside a column with
           the curves, the keys and the hints; a narrow window stacks them under it. */
        .workspace { display: grid; grid-template-columns: minmax(0, 1fr) 460px; gap: 12px; align-items: start; }
        @media (max-width: 1100px) { .workspace { grid-template-columns: minmax(0, 1fr); } }
        .side { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
        /* Room for two lines of legend whatever the fill, so nothing below it moves. */
        #keys { min-height: 56px; align-content: flex-start; margin: 0; }
        button, select { font: inherit; padding: 2px 8px; }
        #layers label { margin-right: 10px; white-space: nowrap; }
        .swatch { display: inline-block; width: 14px; height: 4px; vertical-align: middle; margin-right: 4px; }
        .stage { position: relative; background: #fff; border: 1px solid #ddd; }
        .stage canvas { position: absolute; left: 0; top: 0; }
        #overlay { cursor: crosshair; }
        #tip { position: absolute; display: none; pointer-events: none; background: rgba(255,255,255,0.96); border: 1px solid #999;
               border-radius: 4px; padding: 6px 8px; font-size: 12px; max-width: 330px; box-shadow: 0 1px 4px rgba(0,0,0,0.2); }
        .plot { background: #fff; border: 1px solid #ddd; }
        #legend { color: #444; font-size: 12px; }
        #legend .box { display: inline-block; width: 11px; height: 11px; vertical-align: -1px; margin: 0 3px 0 8px; border: 1px solid #aaa; }
        #legend .bar { display: inline-block; width: 160px; height: 10px; vertical-align: -1px; border: 1px solid #aaa; }
        .hint { color: #777; font-size: 12px; }
        </style>
        </head>
        <body>
        <main>
        <h1 id="title"></h1>
        <div class="sub">\(title)</div>
        <div class="controls">
          <button id="play">▶ play</button>
          <input type="range" id="slider" min="0" max="0" value="0" aria-label="checkpoint">
          <span id="frame-label"></span>
          <label>fill <select id="fill"><option value="pattern">pattern</option><option value="class">class</option><option value="slope">slope</option></select></label>
          <label>edges <select id="edge-style"><option value="dark">dark</option><option value="layer">by layer</option></select></label>
          <label><input type="checkbox" id="show-boundary" checked> decision boundary</label>
          <label><input type="checkbox" id="show-anchors" checked> anchors</label>
          <button id="reset">reset view</button>
        </div>
        <div class="workspace">
        <div class="stage"><canvas id="view"></canvas><canvas id="overlay"></canvas><div id="tip"></div></div>
        <div class="side" id="side">
        <div class="plot"><canvas id="curves"></canvas></div>
        <div class="controls" id="keys"><span id="layers"></span><span id="legend"></span></div>
        <div class="hint">Scroll to zoom, drag to pan, double-click to reset; hover a region for its class, area, vertices and how its pattern differs from its neighbours; ← → step through frames; click the curves to jump to a checkpoint.</div>
        </div>
        </div>
        </main>
        <script id="tessera-data" type="application/json">\(data)</script>
        \(framesMarker)
        <script>
        \(script)
        </script>
        \(framesMarker)
        </body>
        </html>

        """
    }
}
