"""jacviz's scenes, in lesson order.

The registry below is plain data (no manim import), so that ``jacviz list``
is instant.  Each entry: CLI name -> (module, class, one-line description).
"""

SCENES = {
    "jacobian-grid": ("scenes.jacobian_grid", "JacobianGrid",
                      "§1, §8: a vector-valued map's gradients stacked into the m x n Jacobian grid"),
    "local-linearity": ("scenes.local_linearity", "LocalLinearity",
                        "§2: near a point a nonlinear map looks like its Jacobian"),
    "level-sets": ("scenes.level_sets", "LevelSets",
                   "§3: dz/dt = grad f . r'(t) along a curve, and tangents to level sets"),
    "composition": ("scenes.composition", "Composition",
                    "§4, §8: Jacobians multiply, and the shapes force the order"),
    "path-sums": ("scenes.path_sums", "PathSums",
                  "§5: the chain rule as a sum over paths of a computation graph"),
    "two-way": ("scenes.two_way", "TwoWay",
                "§6: dx pushed forward by Jacobians, the gradient pulled back by transposes"),
    "tiny-network": ("scenes.tiny_network", "TinyNetwork",
                     "§7: backprop in a tiny network is repeated pullback"),
}
